"""Typed expression productions, one function per construct: each builds a node of the kind asked for from
operands of known kinds (`g.expr(kind, depth)`), and the tables at the end say which productions serve which kind
and under which construct name they count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from toolkit.sql.fuzz import functions as f
from toolkit.sql.fuzz.subqueries import exists, in_subquery, scalar_subquery
from toolkit.sql.fuzz.templates import NUMERIC, ORDERABLE, fill

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.sql.fuzz.grammar import Grammar

_DATE_PARTS = ("year", "quarter", "month", "day", "dayofweek", "isodow", "dayofyear", "week")
_TS_PARTS = ("hour", "minute")
_DATE_UNITS = ("month", "quarter", "year", "week")
_TS_UNITS = ("hour", "day", "month")
_FORMATS = ("%Y-%m", "%Y-%m-%d", "%d/%m/%Y")
_LIKE = ("W%", "%a%", "_pp", "%\\%%")


Production = Callable[["Grammar", str, int], "exp.Expression"]


# -- generic: any kind ----------------------------------------------------------------------------------------------
def _case(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    if g.rng.random() < 0.5:
        return fill("CASE WHEN __c THEN __a ELSE __b END", c=g.expr("bool", depth), a=g.expr(kind, depth),
                    b=g.expr(kind, depth))
    return fill("CASE WHEN __c THEN __a END", c=g.expr("bool", depth), a=g.expr(kind, depth))


def _coalesce(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("COALESCE(__a, __b)", a=g.expr(kind, depth), b=g.expr(kind, depth))


def _nullif(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("NULLIF(__a, __b)", a=g.expr(kind, depth), b=g.leaf(kind))


def _if(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    if g.rng.random() < 0.5:
        return fill("if(__c, __a, __b)", c=g.expr("bool", depth), a=g.expr(kind, depth), b=g.expr(kind, depth))
    return fill("ifnull(__a, __b)", a=g.expr(kind, depth), b=g.expr(kind, depth))


def _simple_case(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    operand = g.rng.choice(("int", "str"))
    return fill("CASE __x WHEN __v THEN __a WHEN __w THEN __b END", x=g.expr(operand, depth), v=g.literal(operand),
                w=g.literal(operand), a=g.expr(kind, depth), b=g.expr(kind, depth))


GENERIC: list[tuple[str, Production]] = [("case", _case), ("coalesce", _coalesce), ("nullif", _nullif),
                                         ("if_ifnull", _if), ("case", _simple_case)]


def _greatest(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill(f"{g.rng.choice(('greatest', 'least'))}(__a, __b)", a=g.expr(kind, depth), b=g.expr(kind, depth))


# -- int ------------------------------------------------------------------------------------------------------------
def _int_arith(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    op = g.rng.choice(("+", "-", "*"))
    return fill(f"__a {op} __b", a=g.expr("int", depth), b=g.expr("int", depth))


def _date_part(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    if g.rng.random() < 0.3:
        part = g.rng.choice(_DATE_PARTS + _TS_PARTS)
        return fill(f"EXTRACT({part} FROM __a)", a=g.expr("ts", depth))
    return fill(f"EXTRACT({g.rng.choice(_DATE_PARTS)} FROM __a)", a=g.expr("date", depth))


def _calendar_function(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    name = g.rng.choice(("year", "month", "day", "quarter", "dayofweek", "isodow", "week", "dayofyear", "isoyear"))
    return fill(f"{name}(__a)", a=g.expr("date", depth))


def _strpos(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill(f"strpos(__a, '{g.rng.choice(('a', 'p', ' '))}')", a=g.expr("str", depth))


def _date_diff(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    unit = g.rng.choice(("day", "month", "year"))
    return fill(f"date_diff('{unit}', __a, __b)", a=g.expr("date", depth), b=g.expr("date", depth))


def _length(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("length(__a)", a=g.expr("str", depth))


def _int_cast(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("CAST(__a AS INTEGER)", a=g.expr(g.rng.choice(("dec", "float")), depth))


def _int_div(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    op = g.rng.choice(("//", "%"))
    return fill(f"__a {op} NULLIF(__b, 0)", a=g.expr("int", depth), b=g.expr("int", depth))


def _abs(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill(f"{g.rng.choice(('abs', '-'))}(__a)", a=g.expr(kind, depth))


def _floor_ceil(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill(f"{g.rng.choice(('floor', 'ceil'))}(__a)", a=g.expr(kind, depth))


def _try_cast(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    target = {"int": "INTEGER", "date": "DATE", "dec": "DECIMAL(12, 2)"}[kind]
    return fill(f"TRY_CAST(__a AS {target})", a=g.expr("str", depth))


def _ts_diff(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    unit = g.rng.choice(("hour", "minute", "day"))
    return fill(f"date_diff('{unit}', __a, __b)", a=g.expr("ts", depth), b=g.expr("ts", depth))


# -- dec ------------------------------------------------------------------------------------------------------------
def _dec_arith(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    if g.rng.random() < 0.5:
        return fill(f"__a {g.rng.choice(('+', '-'))} __b", a=g.expr("dec", depth), b=g.expr("dec", depth))
    return fill("__a * __b", a=g.expr("dec", depth), b=g.expr("int", depth))


def _round(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill(f"round(__a, {g.rng.choice((0, 1, 2))})", a=g.expr(kind, depth))


def _dec_cast(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("CAST(__a AS DECIMAL(12, 2))", a=g.expr("int", depth))


# -- float ----------------------------------------------------------------------------------------------------------
def _division(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    g.in_division += 1
    try:
        a, b = g.expr(g.rng.choice(NUMERIC), depth), g.expr(g.rng.choice(NUMERIC), depth)
    finally:
        g.in_division -= 1
    return fill("__a / NULLIF(__b, 0)", a=a, b=b)


def _decimal_int_div(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("__a // NULLIF(__b, 0)", a=g.expr("dec", depth), b=g.expr("int", depth))


def _float_cast(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("CAST(__a AS DOUBLE)", a=g.expr(g.rng.choice(("int", "dec")), depth))


def _float_arith(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    if g.rng.random() < 0.5:
        return fill("__a * __b", a=g.expr("float", depth), b=g.expr("int", depth))
    return fill(f"__a {g.rng.choice(('+', '-'))} __b", a=g.expr("float", depth), b=g.expr("float", depth))


# -- str ------------------------------------------------------------------------------------------------------------
def _string_function(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    a = g.expr("str", depth)
    choice = g.rng.randrange(7)
    if choice == 0:
        return fill(f"{g.rng.choice(('upper', 'lower', 'trim'))}(__a)", a=a)
    if choice == 1:
        return fill("__a || __b", a=a, b=g.expr("str", depth))
    if choice == 2:
        return fill("concat(__a, __b)", a=a, b=g.expr("str", depth))
    if choice == 3:
        return fill(f"substring(__a, {g.rng.choice((1, 2, 3))}, {g.rng.choice((1, 2, 4))})", a=a)
    if choice == 4:
        return fill("replace(__a, 'a', 'A')", a=a)
    if choice == 5:
        return fill(f"left(__a, {g.rng.choice((1, 2, 3))})", a=a)
    return fill("CAST(__a AS VARCHAR)", a=g.expr(g.rng.choice(("int", "date")), depth))


def _more_strings(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    a = g.expr("str", depth)
    choice = g.rng.randrange(5)
    if choice == 0:
        return fill(f"split_part(__a, '{g.rng.choice(('_', ' ', 'p'))}', {g.rng.choice((1, 2))})", a=a)
    if choice == 1:
        every = g.rng.choice(("", ", 'g'"))
        return fill(f"regexp_replace(__a, '{g.rng.choice(('a', 'p+', '[aeiou]'))}', '-'{every})", a=a)
    if choice == 2:
        return fill(f"lpad(__a, {g.rng.choice((2, 5))}, '*')", a=a)
    if choice == 3:
        return fill(f"{g.rng.choice(('dayname', 'monthname'))}(__a)", a=g.expr("date", depth))
    return fill("reverse(__a)", a=a)


def _format_date(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill(f"strftime(__a, '{g.rng.choice(_FORMATS)}')", a=g.expr("date", depth))


# -- date and ts ----------------------------------------------------------------------------------------------------
def date_trunc(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    """DuckDB's date_trunc returns a TIMESTAMP even for a DATE: a DATE comes back through CAST (the KPI idiom); as a
    `ts` the truncated DATE is read as that TIMESTAMP (compared, truncated to the hour, cast to text...)."""
    if kind == "date":
        return fill(f"CAST(date_trunc('{g.rng.choice(_DATE_UNITS)}', __a) AS DATE)", a=g.expr("date", depth))
    if kind == "trunc" or g.rng.random() < 0.5:
        return fill(f"date_trunc('{g.rng.choice(_DATE_UNITS)}', __a)", a=g.expr("date", depth))
    return fill(f"date_trunc('{g.rng.choice(_TS_UNITS)}', __a)", a=g.expr("ts", depth))


def _date_shift(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    if g.rng.random() < 0.5:
        return fill("last_day(__a)", a=g.expr("date", depth))
    return fill(f"__a + {g.rng.choice((1, 7, 31, -1))}", a=g.expr("date", depth))


def _interval(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    unit = g.rng.choice(("DAY", "HOUR", "MONTH"))
    base = g.expr("ts", depth) if g.rng.random() < 0.6 else g.expr("date", depth)
    return fill(f"__a {g.rng.choice(('+', '-'))} INTERVAL {g.rng.choice((1, 2, 30))} {unit}", a=base)


def _date_cast(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    return fill("CAST(__a AS DATE)", a=g.expr("ts", depth))


# -- bool -----------------------------------------------------------------------------------------------------------
def _comparison(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    operand = g.rng.choice(ORDERABLE)
    op = g.rng.choice(("=", "<>", "<", "<=", ">", ">="))
    return fill(f"__a {op} __b", a=g.expr(operand, depth), b=g.expr(operand, depth))


def _instant_vs_date(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    """`order_ts >= DATE '2024-01-01'`, `order_ts >= order_date - INTERVAL 30 DAY`: a KPI's date window on an instant."""
    op = g.rng.choice(("=", "<", "<=", ">", ">="))
    return fill(f"__a {op} __b", a=g.expr("ts", depth), b=g.expr(g.rng.choice(("date", "ts")), depth))


def _is_null(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    operand = g.rng.choice(ORDERABLE + ("bool",))
    return fill(f"__a IS {g.rng.choice(('', 'NOT '))}NULL", a=g.expr(operand, depth))


def _logic(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    choice = g.rng.randrange(3)
    if choice == 2:
        return fill("NOT __a", a=g.expr("bool", depth))
    op = ("AND", "OR")[choice]
    return fill(f"(__a) {op} (__b)", a=g.expr("bool", depth), b=g.expr("bool", depth))


def _between(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    operand = g.rng.choice(("int", "dec", "date"))
    return fill("__a BETWEEN __b AND __c", a=g.expr(operand, depth), b=g.leaf(operand), c=g.leaf(operand))


def _in_list(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    operand = g.rng.choice(("int", "str"))
    return fill("__a IN (__b, __c)", a=g.expr(operand, depth), b=g.literal(operand), c=g.literal(operand))


def _string_test(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    name = g.rng.choice(("starts_with", "contains", "regexp_matches", "ends_with"))
    pattern = g.rng.choice(("a", "W", "p", "^a", "app"))
    return fill(f"{name}(__a, '{pattern}')", a=g.expr("str", depth))


def _not_in_distinct(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    operand = g.rng.choice(("int", "str", "date"))
    if g.rng.random() < 0.5:
        return fill("__a NOT IN (__b, __c)", a=g.expr(operand, depth), b=g.literal(operand), c=g.literal(operand))
    return fill(f"__a IS {g.rng.choice(('', 'NOT '))}DISTINCT FROM __b", a=g.expr(operand, depth),
                b=g.expr(operand, depth))


def _like(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    pattern = g.rng.choice(_LIKE).replace("'", "''")
    return fill(f"__a LIKE '{pattern}'", a=g.expr("str", depth))


PRODUCTIONS: dict[str, list[tuple[str, Production]]] = {
    "int": [("integer_arithmetic", _int_arith), ("date_part", _date_part), ("date_diff", _date_diff),
            ("string_function", _length), ("cast", _int_cast), ("integer_division", _int_div), ("abs", _abs),
            ("date_part", _calendar_function), ("string_function", _strpos), ("greatest_least", _greatest),
            ("try_cast", _try_cast), ("date_diff", _ts_diff),
            ("date_part_function", f.date_part_function), ("week_quarter_diff", f.diff_in_weeks),
            ("sign", f.sign_of), ("modulo_constant", f.modulo), ("scalar_subquery", scalar_subquery)],
    "dec": [("decimal_arithmetic", _dec_arith), ("round", _round), ("cast", _dec_cast), ("abs", _abs),
            ("greatest_least", _greatest), ("floor_ceil", _floor_ceil), ("try_cast", _try_cast),
            ("round_negative", f.round_negative), ("scalar_subquery", scalar_subquery)],
    "float": [("division", _division), ("decimal_integer_division", _decimal_int_div), ("cast", _float_cast),
              ("floor_ceil", _floor_ceil), ("abs", _abs), ("float_arithmetic", _float_arith), ("round", _round),
              ("power_root_log", f.power_of), ("round_negative", f.round_negative)],
    "str": [("string_function", _string_function), ("format_date", _format_date), ("string_function", _more_strings),
            ("greatest_least", _greatest), ("split_extract", f.split_and_extract),
            ("concat_nulls", f.join_with_nulls), ("text_cast", f.text_of), ("string_function", f.case_of_text),
            ("scalar_subquery", scalar_subquery)],
    "date": [("date_trunc", date_trunc), ("cast", _date_cast), ("date_arithmetic", _date_shift),
             ("greatest_least", _greatest), ("try_cast", _try_cast), ("make_date", f.date_from_parts),
             ("scalar_subquery", scalar_subquery)],
    "ts": [("date_trunc", date_trunc), ("interval_arithmetic", _interval), ("interval_arithmetic", f.instant_of)],
    "bool": [("comparison", _comparison), ("is_null", _is_null), ("boolean_logic", _logic), ("between", _between),
             ("in_list", _in_list), ("like", _like), ("string_test", _string_test),
             ("not_in_distinct", _not_in_distinct), ("instant_vs_date", _instant_vs_date),
             ("in_subquery", in_subquery), ("exists", exists)],
}
NEEDS_TABLES = frozenset({"in_subquery", "exists", "scalar_subquery"})
