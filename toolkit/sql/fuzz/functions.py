"""Function-call productions users write in KPIs beyond the first grammar (issue 13 item 6): string splitting and
extraction, padding and joining with NULLs, casts of every kind to text, signs and powers, negative rounding,
calendar parts through `date_part('<abbreviation>', d)`, dates built from parts, week and quarter differences.
Each is a production like those in productions.py and is listed in its PRODUCTIONS table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.fuzz.templates import fill

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.sql.fuzz.grammar import Grammar

# DuckDB's date_part accepts these names and abbreviations (https://duckdb.org/docs/sql/functions/datepart)
_PART_NAMES = ("year", "quarter", "month", "day", "week", "isodow", "dow", "doy", "dayofyear", "isoyear",
               "yearweek", "decade")
_DIFF_UNITS = ("week", "quarter", "day", "month")


# -- str -----------------------------------------------------------------------------------------------------------
def split_and_extract(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    a = g.expr("str", depth)
    choice = g.rng.randrange(4)
    if choice == 0:
        return fill(f"string_split(__a, '{g.rng.choice(('_', ' ', 'p', ''))}')[{g.rng.choice((1, 2, 3))}]", a=a)
    if choice == 1:
        return fill(f"regexp_extract(__a, '{g.rng.choice(('p+', '[A-Z]', '^ *a', 'x'))}')", a=a)
    if choice == 2:
        return fill(f"right(__a, {g.rng.choice((1, 2, 5))})", a=a)
    return fill(f"rpad(__a, {g.rng.choice((3, 6))}, '.')", a=a)


def join_with_nulls(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    """concat_ws skips NULL arguments; concat treats them as ''; || makes the whole NULL."""
    if g.rng.random() < 0.6:
        return fill(f"concat_ws('{g.rng.choice((',', ' - ', ''))}', __a, __b)", a=g.expr("str", depth),
                    b=g.expr("str", depth))
    return fill("concat(__a, __b, __c)", a=g.expr("str", depth), b=g.expr(g.rng.choice(("int", "date")), depth),
                c=g.expr("str", depth))


def text_of(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    """A value of every kind cast to text: decimals keep their scale in DuckDB, floats print shortest."""
    operand = g.rng.choice(("dec", "float", "bool", "ts", "int", "date"))
    return fill("CAST(__a AS VARCHAR)", a=g.expr(operand, depth))


def case_of_text(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    name = g.rng.choice(("upper", "lower", "ltrim", "rtrim"))
    return fill(f"{name}(__a)", a=g.expr("str", depth))


# -- int -----------------------------------------------------------------------------------------------------------
def date_part_function(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    part = g.rng.choice(_PART_NAMES)
    return fill(f"date_part('{part}', __a)", a=g.expr("date", depth))


def diff_in_weeks(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    name = g.rng.choice(("date_diff", "datediff", "date_sub"))
    unit = g.rng.choice(_DIFF_UNITS)
    return fill(f"{name}('{unit}', __a, __b)", a=g.expr("date", depth), b=g.expr("date", depth))


def sign_of(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("sign(__a)", a=g.expr(g.rng.choice(("int", "float")), depth))


def modulo(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    """`%` and `//` by a constant, negative operands included: DuckDB's `%` takes the dividend's sign (-7 % 3 = -1)
    and its `//` truncates toward zero (-7 // 3 = -2)."""
    op = g.rng.choice(("%", "//"))
    return fill(f"__a {op} {g.rng.choice((3, -3, 7))}", a=g.expr("int", depth))


# -- float ---------------------------------------------------------------------------------------------------------
def power_of(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    choice = g.rng.randrange(3)
    if choice == 0:
        return fill(f"power(__a, {g.rng.choice((2, 3))})", a=g.expr(g.rng.choice(("int", "float")), depth))
    if choice == 1:
        return fill("sqrt(abs(__a))", a=g.expr(g.rng.choice(("int", "float", "dec")), depth))
    return fill("ln(abs(__a) + 1)", a=g.expr(g.rng.choice(("int", "float")), depth))


# -- dec -----------------------------------------------------------------------------------------------------------
def round_negative(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill(f"round(__a, {g.rng.choice((-1, -2, 3))})", a=g.expr(kind, depth))


# -- date ----------------------------------------------------------------------------------------------------------
def date_from_parts(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    if g.rng.random() < 0.5:
        return fill("make_date(year(__a), month(__a), 1)", a=g.expr("date", depth))
    return fill(f"make_date(2024, {g.rng.choice((1, 2, 12))}, {g.rng.choice((1, 28, 29))})")


# -- ts ------------------------------------------------------------------------------------------------------------
def instant_of(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    unit = g.rng.choice(("DAY", "HOUR", "MINUTE", "WEEK"))
    return fill(f"__a + INTERVAL {g.rng.choice((1, 7, -2))} {unit}", a=g.expr("ts", depth))
