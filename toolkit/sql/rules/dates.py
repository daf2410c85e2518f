"""Date rules: truncation keeps DATEs as DATEs, weeks start on Monday, weekday and week numbers match, format codes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date
from toolkit.sql.rules.duckdb_source import TRUNCATED_DATE

if TYPE_CHECKING:
    from sqlglot import exp

_DATE_UNITS = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")


def _unit(node: "exp.Expression") -> str:
    unit = node.args.get("unit")
    return (unit.name if unit is not None else "").upper()


def date_trunc_keeps_date(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_trunc('month', d)` parses as a timestamp truncation: sqlglot turns it into BigQuery
    `TIMESTAMP_TRUNC(d, MONTH)` (a TIMESTAMP, or an error on a DATE) and DuckDB itself returns a TIMESTAMP.
    With the column's type known to be DATE, emit a DATE truncation on every engine (`DATE_TRUNC(d, MONTH)`,
    `DATE_TRUNC('MONTH', d)`, DuckDB cast back to DATE). DuckDB weeks start on Monday (ISO): BigQuery's WEEK
    starts on Sunday, so it becomes WEEK(MONDAY); Snowflake's follows WEEK_START (0 or 1 = Monday)."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.TimestampTrunc, exp.DateTrunc))):  # innermost first: copies keep them
        unit = _unit(node)
        if isinstance(node.args.get("unit"), exp.WeekStart):
            continue  # already explicit
        if not is_date(node.this) or unit not in _DATE_UNITS:
            if unit == "WEEK" and ctx.target == "bigquery":
                node.set("unit", exp.WeekStart(this=exp.var("MONDAY")))
                ctx.note("date-trunc", "WEEK -> WEEK(MONDAY): weeks start on Monday as in the source")
            continue
        if unit == "WEEK" and ctx.target == "bigquery":
            unit_node: exp.Expression = exp.WeekStart(this=exp.var("MONDAY"))
        else:
            unit_node = exp.var(unit)
        trunc: exp.Expression = exp.DateTrunc(this=node.this.copy(), unit=unit_node)
        if ctx.target == "duckdb":
            trunc = exp.cast(trunc, exp.DataType.build("DATE"))
        trunc.type = exp.DataType.build("DATE")
        if ctx.source == "duckdb" and isinstance(node, exp.TimestampTrunc):  # DuckDB's TIMESTAMP, maybe read as one
            trunc.meta[TRUNCATED_DATE] = True
        node.replace(trunc)
        ctx.note("date-trunc", f"truncation of a DATE to {unit} stays a DATE")
    if ctx.target == "snowflake" and any(_unit(n) == "WEEK" for n in tree.find_all(exp.DateTrunc, exp.TimestampTrunc)):
        ctx.note("date-trunc", "Snowflake WEEK truncation assumes WEEK_START 0 or 1 (Monday), the default")
    return tree


def day_of_week_numbering(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `dayofweek(d)` / EXTRACT(DOW) is Sunday = 0 .. Saturday = 6; BigQuery EXTRACT(DAYOFWEEK) is Sunday = 1
    .. 7 (sqlglot emits DAY_OF_WEEK, which BigQuery lacks) and Snowflake DAYOFWEEK follows WEEK_START. Emit forms
    with the source numbering: BigQuery `EXTRACT(DAYOFWEEK FROM d) - 1`, Snowflake `MOD(DAYOFWEEKISO(d), 7)`;
    ISO numbering (Monday = 1 .. 7) becomes `MOD(EXTRACT(DAYOFWEEK FROM d) + 5, 7) + 1` on BigQuery."""
    from sqlglot import exp

    def sunday_zero(arg: exp.Expression) -> exp.Expression:
        if ctx.target == "bigquery":
            return exp.Paren(this=exp.Sub(this=_bq_dow(arg), expression=exp.Literal.number(1)))
        return exp.Mod(this=exp.DayOfWeekIso(this=arg), expression=exp.Literal.number(7))

    def _bq_dow(arg: exp.Expression) -> exp.Expression:
        return exp.Extract(this=exp.var("DAYOFWEEK"), expression=arg)

    for node in list(tree.find_all(exp.DayOfWeek, exp.DayOfWeekIso, exp.Extract)):
        if isinstance(node, exp.Extract):
            if node.this.name.upper() not in ("DOW", "DAYOFWEEK", "WEEKDAY", "ISODOW"):
                continue
            iso = node.this.name.upper() == "ISODOW"
            arg = node.expression.copy()
        else:
            iso = isinstance(node, exp.DayOfWeekIso)
            arg = node.this.copy()
        if iso:
            if ctx.target != "bigquery":
                replacement: exp.Expression = exp.DayOfWeekIso(this=arg)
            else:
                replacement = exp.Add(
                    this=exp.Mod(this=exp.Add(this=_bq_dow(arg), expression=exp.Literal.number(5)),
                                 expression=exp.Literal.number(7)),
                    expression=exp.Literal.number(1),
                )
        else:
            replacement = sunday_zero(arg)
        replacement.type = exp.DataType.build("BIGINT")
        node.replace(replacement)
        ctx.note("day-of-week", "weekday numbers follow the source (Sunday = 0, ISO Monday = 1)")
    return tree


_WEEK_PARTS = ("WEEK", "WEEKS", "W", "WEEKOFYEAR")


def week_numbering(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `week(d)`, `weekofyear(d)` and EXTRACT(WEEK) are the ISO week (1..53, weeks start on Monday, week 1
    holds January 4th). sqlglot keeps BigQuery `EXTRACT(WEEK FROM d)` (Sunday-based, 0..53: 2024-01-01 is week 0,
    not 1) and Snowflake `DATE_PART(WEEK, d)` / `WEEK(d)` (follows WEEK_OF_YEAR_POLICY and WEEK_START); BigQuery
    has no WEEK() function at all. Emit the ISO forms: BigQuery `EXTRACT(ISOWEEK FROM d)`, Snowflake `WEEKISO(d)`."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Week, exp.WeekOfYear, exp.Extract)):
        if isinstance(node, exp.Extract):
            if node.this.name.upper() not in _WEEK_PARTS:
                continue
            arg = node.expression.copy()
        elif isinstance(node, exp.Week) and node.args.get("mode") is not None:
            continue  # week(d, mode) is MySQL's, not DuckDB's: leave it to the engine's own error
        else:
            arg = node.this.copy()
        if ctx.target == "bigquery":
            replacement: exp.Expression = exp.Extract(this=exp.var("ISOWEEK"), expression=arg)
        else:
            replacement = exp.WeekOfYear(this=arg)  # Snowflake WEEKISO
        replacement.type = exp.DataType.build("BIGINT")
        node.replace(replacement)
        ctx.note("week", "week numbers are ISO weeks as in the source (BigQuery ISOWEEK, Snowflake WEEKISO)")
    return tree


# strftime codes that mean the same in DuckDB, BigQuery FORMAT_DATE/FORMAT_TIMESTAMP and (translated) Snowflake.
PORTABLE_FORMAT_CODES = frozenset("YmdHMS%")
_CODE_RE = re.compile(r"%(.)")


def portable_format_codes(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Format codes such as %A, %j, %G, %V, %U pass through sqlglot untranslated (Snowflake's TO_CHAR has no
    equivalent, BigQuery's differ at the edges): refuse any code outside the portable allow-list."""
    from sqlglot import exp

    for node in tree.find_all(exp.TimeToStr):
        fmt = node.args.get("format")
        if not isinstance(fmt, exp.Literal):
            raise ctx.refuse(node, "a date format that is not a literal cannot be translated",
                             "a literal format string, e.g. strftime(d, '%Y-%m')")
        bad = sorted({code for code in _CODE_RE.findall(fmt.this) if code not in PORTABLE_FORMAT_CODES})
        if bad:
            codes = ", ".join("%" + code for code in bad)
            raise ctx.refuse(
                node,
                f"format code(s) {codes} have no portable translation",
                "only %Y %m %d %H %M %S, or EXTRACT(...) / DAYOFWEEK for the parts you need",
            )
    return tree


def format_operand_typed(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake `TO_CHAR(order_date, 'yyyy-mm')` is right on Snowflake, but sqlglot reading it back (as fakesnow,
    the Snowflake oracle, does) cannot tell a date from a number without the type and drops the format: parity then
    reports a false mismatch ('2022-01-02' vs '2022-01'). State the operand's type with a CAST (a no-op on
    Snowflake): `TO_CHAR(CAST(order_date AS DATE), 'yyyy-mm')` reads back as `STRFTIME(..., '%Y-%m')`."""
    from sqlglot import exp

    temporal = (exp.DataType.Type.DATE, exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMP,
                exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ, exp.DataType.Type.TIMESTAMPNTZ)
    for node in tree.find_all(exp.TimeToStr, exp.ToChar):  # ToChar: Snowflake's own TO_CHAR, read untyped
        if isinstance(node, exp.ToChar) and node.args.get("format") is None:
            continue
        operand = node.this
        kind = getattr(operand, "type", None)
        if isinstance(operand, exp.Cast) or kind is None or kind.this not in temporal:
            continue
        cast = exp.cast(operand.copy(), kind.copy())
        cast.type = kind.copy()
        operand.replace(cast)
        ctx.note("format-operand", "TO_CHAR states its operand's type (CAST) so the format survives a sqlglot reader")
    return tree


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")


def full_day_month_names(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `dayname(d)` / `monthname(d)` are full English names ('Friday', 'April'). BigQuery has neither
    function (FORMAT_DATE's %A / %B give the full names), and Snowflake's DAYNAME/MONTHNAME abbreviate ('Fri',
    'Apr'): spell the abbreviation out with a CASE over its fixed three-letter English values."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Dayname, exp.Monthname)):
        arg = node.this.copy()
        if ctx.target == "bigquery":
            code = "%A" if isinstance(node, exp.Dayname) else "%B"
            as_date = exp.Cast(this=arg, to=exp.DataType.build("DATE"))
            replacement: exp.Expression = exp.Anonymous(this="FORMAT_DATE",
                                                        expressions=[exp.Literal.string(code), as_date])
        else:
            replacement = full_name_case(type(node)(this=arg))
        replacement.type = exp.DataType.build("VARCHAR")
        node.replace(replacement)
        ctx.note("day-month-names", "full English day and month names, as in the source")
    return tree


def full_name_case(abbreviated: "exp.Dayname | exp.Monthname") -> "exp.Expression":
    """Snowflake's DAYNAME/MONTHNAME ('Fri', 'Apr') spelled out in full with a CASE over the fixed English values."""
    from sqlglot import exp

    names = _DAY_NAMES if isinstance(abbreviated, exp.Dayname) else _MONTH_NAMES
    case = exp.Case(this=abbreviated, ifs=[
        exp.If(this=exp.Literal.string(name[:3]), true=exp.Literal.string(name)) for name in names])
    case.type = exp.DataType.build("VARCHAR")
    return case


def calendar_parts(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `dayofyear(d)`, `isoyear(d)`, `yearweek(d)` and EXTRACT(DOY | ISOYEAR | YEARWEEK) reach BigQuery as
    functions or parts it does not have (DAY_OF_YEAR, isoyear, EXTRACT(DOY)) and Snowflake as ISOYEAR/YEARWEEK,
    which it lacks or numbers by WEEK_START. Emit each engine's own ISO forms: BigQuery EXTRACT(DAYOFYEAR | ISOYEAR),
    Snowflake DAYOFYEAR / YEAROFWEEKISO; yearweek is ISO year * 100 + ISO week, as DuckDB defines it."""
    from sqlglot import exp

    def part(name: str, arg: exp.Expression) -> exp.Expression:
        if ctx.target == "bigquery":
            return exp.Extract(this=exp.var(name), expression=arg)
        if name == "DAYOFYEAR":
            return exp.DayOfYear(this=arg)
        if name == "ISOWEEK":
            return exp.WeekOfYear(this=arg)  # Snowflake WEEKISO
        return exp.Anonymous(this="YEAROFWEEKISO", expressions=[arg])

    def wanted(node: exp.Expression) -> tuple[str, exp.Expression] | None:
        if isinstance(node, exp.DayOfYear):
            return "DAYOFYEAR", node.this
        if isinstance(node, exp.Anonymous) and node.name.lower() in ("isoyear", "yearweek") and len(node.expressions) == 1:
            return node.name.upper(), node.expressions[0]
        if isinstance(node, exp.Extract):
            name = {"DOY": "DAYOFYEAR", "DAYOFYEAR": "DAYOFYEAR", "ISOYEAR": "ISOYEAR", "YEARWEEK": "YEARWEEK"}.get(
                node.this.name.upper())
            return (name, node.expression) if name else None
        return None

    for node in list(tree.find_all(exp.DayOfYear, exp.Anonymous, exp.Extract)):
        found = wanted(node)
        if found is None or (ctx.target == "snowflake" and isinstance(node, exp.DayOfYear)):
            continue  # Snowflake's DAYOFYEAR is DuckDB's already
        name, arg = found
        if name == "YEARWEEK":
            replacement: exp.Expression = exp.Paren(this=exp.Add(
                this=exp.Mul(this=part("ISOYEAR", arg.copy()), expression=exp.Literal.number(100)),
                expression=part("ISOWEEK", arg.copy())))
        else:
            replacement = part(name, arg.copy())
        replacement.type = exp.DataType.build("BIGINT")
        node.replace(replacement)
        ctx.note("calendar-parts", "day of year, ISO year and ISO year-week as in the source")
    return tree
