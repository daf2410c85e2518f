"""Snowflake date and time functions that BigQuery (and DuckDB) lack or read differently, found by KPIs written as a
Snowflake team writes them (tests/corpus/snowflake_hunt). Default session parameters: WEEK_START = 0 (weeks start
on Monday), WEEK_OF_YEAR_POLICY = 0 (ISO weeks), TIMESTAMP_TYPE_MAPPING = TIMESTAMP_NTZ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp


def add_months_keeps_month_end(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake ADD_MONTHS(d, n) keeps a month end a month end: ADD_MONTHS('2024-02-29', 1) is 2024-03-31, where
    DATEADD(month, 1, ...) gives 2024-03-29. BigQuery has no ADD_MONTHS (sqlglot copies it). Emit
    CASE WHEN LAST_DAY(d) = d THEN LAST_DAY(DATE_ADD(d, INTERVAL n MONTH)) ELSE DATE_ADD(d, INTERVAL n MONTH) END,
    a DATE as on Snowflake. (docs.snowflake.com/en/sql-reference/functions/add_months: "If the input is the last day
    of a month, the result is the last day of the resulting month")"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.AddMonths)):
        if not is_date(node.this):
            raise ctx.refuse(node, "ADD_MONTHS of a value that is not a DATE has no exact form here",
                             "ADD_MONTHS(CAST(x AS DATE), n), or DATEADD(month, n, x) when month ends need not stay")
        date, months = node.this, node.expression

        def plus() -> exp.Expression:
            return exp.DateAdd(this=date.copy(), expression=months.copy(), unit=exp.var("MONTH"))

        month_end = exp.EQ(this=exp.LastDay(this=date.copy()), expression=date.copy())
        case = exp.Case(ifs=[exp.If(this=month_end, true=exp.LastDay(this=plus()))], default=plus())
        case.type = exp.DataType.build("DATE")
        node.replace(case)
        ctx.note("add-months", "ADD_MONTHS keeps month ends (LAST_DAY of the shifted date)")
    return tree


def to_date_of_a_date(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake TO_DATE(d [, fmt]) / TRY_TO_DATE of a value that already is a DATE returns it unchanged (a
    partition column such as order_month is a DATE); sqlglot writes BigQuery PARSE_TIMESTAMP(fmt, d), which accepts
    only a STRING ("No matching signature"). Emit the DATE itself. (docs.snowflake.com/en/sql-reference/functions/
    to_date: "For a date_expr, the input is returned unchanged"... the function's DATE overload)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.TsOrDsToDate, exp.StrToDate)):
        if is_date(node.this):
            node.replace(node.this.copy())
            ctx.note("to-date", "TO_DATE of a DATE is the DATE itself")
    return tree


_TIMESTAMP_FROM_TEXT = ("TO_TIMESTAMP", "TO_TIMESTAMP_NTZ", "TRY_TO_TIMESTAMP", "TRY_TO_TIMESTAMP_NTZ")


def to_timestamp_of_text(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake TO_TIMESTAMP(text) (and _NTZ, TRY_) reads text in the AUTO format as a TIMESTAMP_NTZ, the default
    TIMESTAMP_TYPE_MAPPING; sqlglot cannot tell text from epoch seconds and copies the call, which DuckDB reads as
    epoch seconds (no VARCHAR overload) and BigQuery does not have. For text, emit CAST(text AS TIMESTAMP) (DuckDB)
    / CAST(text AS DATETIME) (BigQuery: a wall-clock time like NTZ), TRY_CAST / SAFE_CAST for TRY_. That reads
    ISO forms ('2024-07-01 12:00:00'); other AUTO forms need TO_TIMESTAMP(text, format).
    (docs.snowflake.com/en/sql-reference/functions/to_timestamp)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Anonymous)):
        name = node.name.upper()
        if name not in _TIMESTAMP_FROM_TEXT or len(node.expressions) != 1:
            continue
        value = node.expressions[0]
        if not (_is_text(value) or isinstance(value, (exp.DPipe, exp.Concat))):
            continue
        to = exp.DataType.build("TIMESTAMPNTZ")
        cast = exp.TryCast(this=value.copy(), to=to) if name.startswith("TRY_") else exp.Cast(this=value.copy(), to=to)
        cast.type = to.copy()
        node.replace(cast)
        ctx.note("to-timestamp", "TO_TIMESTAMP(text) -> CAST(text AS TIMESTAMP without time zone)")
    return tree


def last_day_of_week_ends_on_sunday(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake LAST_DAY(d, 'week') is the last day of d's week under WEEK_START = 0 (weeks Monday to Sunday): a
    Sunday. BigQuery's LAST_DAY(d, WEEK) ends the week on Saturday: LAST_DAY(DATE '2024-02-10', 'week') is
    2024-02-11 on Snowflake, 2024-02-10 on BigQuery. Emit WEEK(MONDAY).
    (docs.snowflake.com/en/sql-reference/functions/last_day; bigquery/docs/reference/standard-sql/
    date_functions#last_day: "WEEK: Equivalent to WEEK(SUNDAY)")"""
    from sqlglot import exp

    for node in tree.find_all(exp.LastDay):
        unit = node.args.get("unit")
        if isinstance(unit, (exp.Var, exp.Literal)) and unit.name.upper() in ("WEEK", "WEEKS", "W", "WK"):
            node.set("unit", exp.WeekStart(this=exp.var("MONDAY")))
            ctx.note("last-day", "LAST_DAY(d, 'week') ends the week on Sunday (WEEK_START = 0)")
    return tree


# Snowflake date-part names and their documented abbreviations ("Supported date and time parts"), by canonical part.
_PART_ALIASES = {
    "YEAR": ("Y", "YY", "YYY", "YYYY", "YR", "YEARS", "YRS"), "MONTH": ("MM", "MON", "MONS", "MONTHS"),
    "DAY": ("D", "DD", "DAYS", "DAYOFMONTH"), "DAYOFWEEK": ("WEEKDAY", "DOW", "DW"),
    "DAYOFWEEKISO": ("WEEKDAY_ISO", "DOW_ISO", "DW_ISO"), "DAYOFYEAR": ("YEARDAY", "DOY", "DY"),
    "WEEK": ("W", "WK", "WEEKOFYEAR", "WOY", "WY"), "WEEKISO": ("WEEK_ISO", "WEEKOFYEARISO", "WEEKOFYEAR_ISO"),
    "QUARTER": ("Q", "QTR", "QTRS", "QUARTERS"), "YEAROFWEEK": (), "YEAROFWEEKISO": (),
    "HOUR": ("H", "HH", "HR", "HOURS", "HRS"), "MINUTE": ("M", "MI", "MIN", "MINUTES", "MINS"),
    "SECOND": ("S", "SEC", "SECONDS", "SECS"),
}
_CANONICAL = {alias: part for part, aliases in _PART_ALIASES.items() for alias in (part, *aliases)}
_BIGQUERY_PARTS = frozenset({"YEAR", "MONTH", "DAY", "DAYOFWEEK", "DAYOFYEAR", "WEEK", "ISOWEEK", "ISOYEAR", "QUARTER",
                             "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "DATE", "TIME", "DATETIME"})


def date_part_names_for_bigquery(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake EXTRACT / DATE_PART take part names BigQuery does not know: abbreviations (yy, mm, d, doy, hh ...)
    and DAYOFWEEKISO, WEEKISO, YEAROFWEEK(ISO) ("A valid date part name is required"). Map each to BigQuery's part
    with Snowflake's meaning under the default WEEK_START = 0 / WEEK_OF_YEAR_POLICY = 0: WEEK and WEEKISO are ISO
    weeks (ISOWEEK), YEAROFWEEK the ISO year (ISOYEAR), DAYOFWEEK 0 = Sunday (EXTRACT(DAYOFWEEK) - 1), DAYOFWEEKISO
    1 = Monday .. 7 = Sunday. Names BigQuery already reads are left to the weekday and week rules.
    (docs.snowflake.com/en/sql-reference/functions-date-time#label-supported-date-time-parts)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Extract)):
        name = node.this.name.upper() if isinstance(node.this, (exp.Var, exp.Literal)) else ""
        part = _CANONICAL.get(name)
        if name in _BIGQUERY_PARTS or part is None:
            continue
        operand = node.expression.copy()

        def extract(bigquery_part: str) -> exp.Expression:
            return exp.Extract(this=exp.var(bigquery_part), expression=operand.copy())

        if part == "DAYOFWEEK":
            new: exp.Expression = exp.Paren(this=exp.Sub(this=extract("DAYOFWEEK"), expression=exp.Literal.number(1)))
        elif part == "DAYOFWEEKISO":
            shifted = exp.Add(this=extract("DAYOFWEEK"), expression=exp.Literal.number(5))
            new = exp.Paren(this=exp.Add(this=exp.Mod(this=exp.Paren(this=shifted), expression=exp.Literal.number(7)),
                                         expression=exp.Literal.number(1)))
        elif part in ("WEEK", "WEEKISO"):
            new = extract("ISOWEEK")
        elif part in ("YEAROFWEEK", "YEAROFWEEKISO"):
            new = extract("ISOYEAR")
        else:
            new = extract(part)
        new.type = exp.DataType.build("BIGINT")
        node.replace(new)
        ctx.note("date-part-names", f"date part {name} -> BigQuery's equivalent")
    return tree


def convert_timezone_of_a_wall_clock(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake CONVERT_TIMEZONE(source, target, ntz) reads the wall-clock time `ntz` in `source` and returns the
    wall-clock time in `target` (a TIMESTAMP_NTZ); sqlglot writes BigQuery DATETIME(<a DATETIME>, zone), which has
    no such signature. Emit DATETIME(TIMESTAMP(ntz, source), target), BigQuery's own spelling of the same.
    (docs.snowflake.com/en/sql-reference/functions/convert_timezone; bigquery/docs/reference/standard-sql/
    datetime_functions#datetime)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.ConvertTimezone)):
        source = node.args.get("source_tz")
        if source is None:
            continue  # the two-argument form converts an instant: sqlglot's text is BigQuery's already
        instant = exp.Anonymous(this="TIMESTAMP", expressions=[node.args["timestamp"].copy(), source.copy()])
        wall = exp.Anonymous(this="DATETIME", expressions=[instant, node.args["target_tz"].copy()])
        wall.type = exp.DataType.build("DATETIME")
        node.replace(wall)
        ctx.note("convert-timezone", "CONVERT_TIMEZONE(source, target, ntz) -> DATETIME(TIMESTAMP(ntz, source), "
                                     "target)")
    return tree


def date_from_parts_overflows(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake DATE_FROM_PARTS(y, m, d) carries months and days past their range into the next year or month
    (DATE_FROM_PARTS(2024, 13, 1) is 2025-01-01; the idiom DATE_FROM_PARTS(YEAR(d), MONTH(d) + 1, 1) starts the
    next month, December included); BigQuery's DATE(y, m, d) fails on them ("invalid date"). Unless month and day
    are literals in range, emit DATE_ADD(DATE_ADD(DATE(y, 1, 1), INTERVAL m - 1 MONTH), INTERVAL d - 1 DAY).
    (docs.snowflake.com/en/sql-reference/functions/date_from_parts: "If the month is outside the range 1-12 ...")"""
    from sqlglot import exp

    def literal_in(node: exp.Expression | None, top: int) -> bool:
        return (isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit()
                and 1 <= int(node.this) <= top)

    for node in list(tree.find_all(exp.DateFromParts)):
        month, day = node.args.get("month"), node.args.get("day")
        if literal_in(month, 12) and literal_in(day, 28):
            continue
        start = exp.DateFromParts(year=node.args["year"].copy(), month=exp.Literal.number(1),
                                  day=exp.Literal.number(1))

        def shifted(value: exp.Expression, by: exp.Expression, unit: str) -> exp.Expression:
            minus_one = exp.Sub(this=exp.Paren(this=by.copy()), expression=exp.Literal.number(1))
            return exp.DateAdd(this=value, expression=minus_one, unit=exp.var(unit))

        result = shifted(shifted(start, month, "MONTH"), day, "DAY")
        result.type = exp.DataType.build("DATE")
        node.replace(result)
        ctx.note("date-from-parts", "DATE_FROM_PARTS carries months and days over, as on Snowflake")
    return tree


def _is_text(node: "exp.Expression") -> bool:
    from sqlglot import exp

    data_type = getattr(node, "type", None)
    return data_type is not None and data_type.this in exp.DataType.TEXT_TYPES


def date_minus_date_is_days(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake (and DuckDB) `d2 - d1` of two DATEs is the whole number of days between them (an integer, like DATEDIFF(day,
    d1, d2)); BigQuery's DATE - DATE is an INTERVAL ('0-0 3 0:0:0'), another type and no number a KPI can sum.
    Emit DATE_DIFF(d2, d1, DAY). (docs.snowflake.com/en/sql-reference/operators-arithmetic: "date - date ... number
    of days"; bigquery/docs/reference/standard-sql/operators#date_arithmetics_operators)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Sub)):
        if is_date(node.this) and is_date(node.expression):
            days = exp.DateDiff(this=node.this.copy(), expression=node.expression.copy(), unit=exp.var("DAY"))
            days.type = exp.DataType.build("BIGINT")
            node.replace(days)
            ctx.note("date-minus-date", f"DATE - DATE is whole days (DATE_DIFF), as on {ctx.source}")
    return tree
