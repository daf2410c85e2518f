"""Rules for KPIs written in BigQuery SQL: what BigQuery's functions mean, spelled for DuckDB and Snowflake.

BigQuery semantics are checked against Google's ZetaSQL reference evaluator (tests/integration/zetasql); each rule's
docstring names the BigQuery documentation page it models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, _type, double, is_date, is_float, is_known

if TYPE_CHECKING:
    from sqlglot import exp

_WEEKDAYS = ("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")


def _typed(node: "exp.Expression", kind: str) -> "exp.Expression":
    from sqlglot import exp

    node.type = exp.DataType.build(kind)
    return node


def grouped(node: "exp.Expression") -> "exp.Expression":
    """`node` in parentheses when it is an operator: sqlglot prints a built tree as is, without precedence parens."""
    from sqlglot import exp

    return exp.Paren(this=node) if isinstance(node, (exp.Binary, exp.Neg)) else node


def week_number(arg: "exp.Expression", start: int, target: str) -> "exp.Expression":
    """Weeks starting on weekday `start` (0 = Sunday), numbered from 0 before the year's first such day (C's %U/%W,
    BigQuery's WEEK): FLOOR((day of year + 6 - days into the week) / 7)."""
    from sqlglot import exp

    shifted = exp.Sub(this=exp.Add(this=exp.DayOfYear(this=arg.copy()), expression=exp.Literal.number(6)),
                      expression=_days_into_week(arg.copy(), start, target))
    weeks = exp.Div(this=exp.Paren(this=shifted), expression=exp.Literal.number(7), typed=False, safe=False)
    return exp.cast(exp.Floor(this=weeks), exp.DataType.build("BIGINT"))


def sunday_zero_weekday(arg: "exp.Expression", target: str) -> "exp.Expression":
    """The weekday of `arg` numbered Sunday = 0 .. Saturday = 6 on `target` (DuckDB DAYOFWEEK; Snowflake's DAYOFWEEK
    follows WEEK_START, DAYOFWEEKISO does not)."""
    from sqlglot import exp

    if target == "duckdb":
        return exp.DayOfWeek(this=arg)
    return exp.Paren(this=exp.Mod(this=exp.DayOfWeekIso(this=arg), expression=exp.Literal.number(7)))


def safe_divide_grouped(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """SAFE_DIVIDE(a - b, b) is one operand of the arithmetic around it (`100 * SAFE_DIVIDE(a - b, b)`), but
    `safe_division` replaces it with a bare `/` and sqlglot prints the tree without parentheses:
    `100 * a - b / NULLIF(b, 0)`, a different number. Parenthesise the call and compound operands first.
    (docs.cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#safe_divide)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.SafeDivide)):
        for key in ("this", "expression"):
            operand = node.args.get(key)
            if isinstance(operand, (exp.Binary, exp.Neg)):
                wrapped = exp.Paren(this=operand.copy())
                wrapped.type = operand.type
                node.set(key, wrapped)
        if not isinstance(node.parent, (exp.Paren, exp.Select, exp.Alias)):
            node.replace(exp.Paren(this=node.copy()))
    return tree


def bigquery_day_of_week(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery EXTRACT(DAYOFWEEK FROM d) is Sunday = 1 .. Saturday = 7; sqlglot keeps EXTRACT(DAYOFWEEK) for DuckDB
    (Sunday = 0) and DATE_PART(DAYOFWEEK) for Snowflake (follows WEEK_START: Sunday = 0 by default). Emit the
    Sunday = 0 form of each engine plus one. (bigquery/docs/reference/standard-sql/date_functions#extract)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Extract)):
        if not isinstance(node.this, exp.Var) or node.this.name.upper() != "DAYOFWEEK":
            continue
        one_based = exp.Paren(this=exp.Add(this=sunday_zero_weekday(node.expression.copy(), ctx.target),
                                           expression=exp.Literal.number(1)))
        node.replace(_typed(one_based, "BIGINT"))
        ctx.note("day-of-week", "EXTRACT(DAYOFWEEK) numbers Sunday = 1 .. Saturday = 7 as on BigQuery")
    return tree


def _week_start(unit: "exp.Expression") -> int | None:
    """0 (Sunday) .. 6 for BigQuery's WEEK / WEEK(<WEEKDAY>) date part, else None."""
    from sqlglot import exp

    if isinstance(unit, exp.WeekStart):
        name = unit.this.name.upper()
        return _WEEKDAYS.index(name) if name in _WEEKDAYS else None
    if isinstance(unit, (exp.Var, exp.Literal)) and unit.name.upper() == "WEEK":
        return 0
    return None


def _days_into_week(arg: "exp.Expression", start: int, target: str) -> "exp.Expression":
    """Days since the last `start` weekday (0 .. 6)."""
    from sqlglot import exp

    weekday = sunday_zero_weekday(arg, target)
    if start == 0:
        return weekday
    shifted = exp.Paren(this=exp.Add(this=weekday, expression=exp.Literal.number(7 - start)))
    return exp.Paren(this=exp.Mod(this=shifted, expression=exp.Literal.number(7)))


def bigquery_week_numbers(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery EXTRACT(WEEK FROM d) counts weeks starting on Sunday (WEEK(<WEEKDAY>) on that day), from 0 for the
    days before the year's first Sunday: 2024-01-01 is week 0. sqlglot emits DuckDB EXTRACT(WEEK) and Snowflake
    DATE_PART(WEEK), both ISO weeks by default (2024-01-01 is week 1); EXTRACT(ISOWEEK) reaches DuckDB, which has no
    such part. Emit FLOOR((day of year + 6 - days into the week) / 7) and DuckDB's ISO `week(d)`.
    (bigquery/docs/reference/standard-sql/date_functions#extract)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Extract)):
        part = node.this
        arg = node.expression
        if isinstance(part, exp.Var) and part.name.upper() == "ISOWEEK":
            if ctx.target == "duckdb":
                node.replace(_typed(exp.WeekOfYear(this=arg.copy()), "BIGINT"))
                ctx.note("week", "EXTRACT(ISOWEEK) -> DuckDB week(d), the ISO week")
            continue
        start = _week_start(part)
        if start is None:
            continue
        node.replace(_typed(week_number(arg, start, ctx.target), "BIGINT"))
        ctx.note("week", f"EXTRACT(WEEK) counts {_WEEKDAYS[start].title()}-start weeks from 0 as on BigQuery")
    return tree


def bigquery_week_truncation(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery DATE_TRUNC(d, WEEK) goes back to the previous Sunday (WEEK(<WEEKDAY>) to that weekday, ISOWEEK to
    Monday). sqlglot cannot print WEEK(SUNDAY) for Snowflake (its DATE_TRUNC('WEEK') follows WEEK_START) and turns
    ISOWEEK into an unknown Snowflake part. Emit `d` minus the days into the week, a DATE on every engine; a
    TIMESTAMP_TRUNC / DATETIME_TRUNC to a week is that day's midnight minus the days into the week (on Snowflake;
    sqlglot's DuckDB form is right). LAST_DAY(d, WEEK) is the week's first day plus 6 days.
    (bigquery/docs/reference/standard-sql/date_functions#date_trunc, #last_day)"""
    from sqlglot import exp

    def start_of(unit: exp.Expression | None) -> int | None:
        if isinstance(unit, (exp.Var, exp.Literal)) and unit.name.upper() == "ISOWEEK":
            return 1
        return _week_start(unit)

    def back(day: exp.Expression, start: int) -> exp.Expression:
        return exp.DateSub(this=day, expression=_days_into_week(day.copy(), start, ctx.target), unit=exp.var("DAY"))

    for node in list(tree.find_all(exp.DateTrunc, exp.TimestampTrunc, exp.DatetimeTrunc, exp.LastDay)):
        start = start_of(node.args.get("unit"))
        if start is None:
            continue
        if isinstance(node, exp.LastDay):
            if ctx.target != "snowflake" or not is_date(node.this):
                continue  # sqlglot's DuckDB form counts to the week's last day correctly
            end = exp.DateAdd(this=back(node.this.copy(), start), expression=exp.Literal.number(6), unit=exp.var("DAY"))
            node.replace(_typed(exp.cast(end, exp.DataType.build("DATE")), "DATE"))
        elif isinstance(node, exp.DateTrunc) and is_date(node.this):
            node.replace(_typed(exp.cast(back(node.this.copy(), start), exp.DataType.build("DATE")), "DATE"))
        elif ctx.target == "snowflake" and not isinstance(node, exp.DateTrunc):
            midnight = exp.TimestampTrunc(this=node.this.copy(), unit=exp.var("DAY"))
            node.replace(back(midnight, start))
        else:
            continue
        ctx.note("date-trunc", f"weeks start on {_WEEKDAYS[start].title()} as on BigQuery")
    return tree


def split_offset_as_text(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery `SPLIT(s, d)[SAFE_OFFSET(n)]` is a STRING (NULL past the end); sqlglot's Snowflake `SPLIT(s, d)[n]`
    is a VARIANT (shown as "b" with quotes, compared as JSON). Cast the element to VARCHAR: the same text, NULL past
    the end (SPLIT_PART would give '' there). (bigquery/docs/reference/standard-sql/string_functions#split)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Bracket)):
        if not isinstance(node.this, exp.Split) or isinstance(node.parent, exp.Cast):
            continue
        index = node.expressions[0] if len(node.expressions) == 1 else None
        if not (isinstance(index, exp.Literal) and not index.is_string and index.this.isdigit()):
            raise ctx.refuse(node, "SPLIT(...)[OFFSET(i)] with an index that is not a literal from 0 has no portable "
                                   "form", "SPLIT(s, d)[SAFE_OFFSET(1)] with a literal offset")
        text = exp.cast(node.copy(), exp.DataType.build("VARCHAR"))
        node.replace(_typed(text, "VARCHAR"))
        ctx.note("split-offset", "SPLIT(...)[SAFE_OFFSET(n)] is text, not a VARIANT, as on BigQuery")
    return tree


def date_in_time_zone(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery DATE(ts, 'America/New_York') is the calendar date of the instant in that zone; sqlglot copies it to
    Snowflake as DATE(ts, 'America/New_York'), where the second argument is a *format*. Emit
    CAST(CONVERT_TIMEZONE('America/New_York', ts) AS DATE). (bigquery/docs/reference/standard-sql/date_functions#date;
    docs.snowflake.com/en/sql-reference/functions/convert_timezone)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Date)):
        zone = node.args.get("zone")
        if zone is None:
            continue
        local = exp.ConvertTimezone(target_tz=zone.copy(), timestamp=node.this.copy())
        node.replace(_typed(exp.cast(local, exp.DataType.build("DATE")), "DATE"))
        ctx.note("date-time-zone", "DATE(ts, zone) is the date in that time zone, as on BigQuery")
    return tree


def array_agg_ignore_nulls(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """ARRAY_AGG(x IGNORE NULLS) drops NULLs; Snowflake's ARRAY_AGG always omits NULL values, and sqlglot refuses to
    print IGNORE NULLS for it: drop the clause, the meaning is the same.
    (docs.snowflake.com/en/sql-reference/functions/array_agg: "NULL values are omitted from the output")"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.IgnoreNulls)):
        if isinstance(node.this, exp.ArrayAgg):
            node.replace(node.this.copy())
            ctx.note("array-agg", "ARRAY_AGG skips NULLs on Snowflake already (IGNORE NULLS dropped)")
    return tree


def numeric_division_scale(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery divides NUMERIC by NUMERIC (or INT64) in NUMERIC: the quotient rounded to 9 decimals
    (SUM(a) / SUM(b) = 0.094915029). DuckDB's `/` gives the DOUBLE 0.0949150292553098 and Snowflake's fixed-point
    division keeps only max(s, min(s + 6, 12)) decimals (8 for NUMBER(_, 2)), so neither is BigQuery's value.
    Divide in DOUBLE and round to NUMERIC's 9 decimals: CAST(ROUND(CAST(x AS DOUBLE) / y, 9) AS DECIMAL(38, 9)).
    (bigquery/docs/reference/standard-sql/operators#arithmetic_operators, result types of `/`)"""
    from sqlglot import exp

    decimal = exp.DataType.Type.DECIMAL
    for node in list(tree.find_all(exp.Div, exp.SafeDivide)):
        x, y = node.this, node.expression
        if not (is_known(x) and is_known(y)) or is_float(x) or is_float(y) or decimal not in (_type(x), _type(y)):
            continue
        division = node.copy()
        division.set("this", double(x.copy()))
        if isinstance(division, exp.Div):
            division = exp.Paren(this=division)
        division.type = exp.DataType.build("DOUBLE")
        rounded = exp.Round(this=division, decimals=exp.Literal.number(9))
        numeric = exp.cast(rounded, exp.DataType.build("DECIMAL(38, 9)"))
        node.replace(_typed(numeric, "DECIMAL(38, 9)"))
        ctx.note("numeric-division", "NUMERIC / NUMERIC is rounded to 9 decimals as on BigQuery")
    return tree


def numeric_keeps_nine_decimals(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery NUMERIC is a decimal with 38 digits and 9 of them decimals; sqlglot writes a bare DECIMAL, which is
    DECIMAL(18, 3) in DuckDB and NUMBER(38, 0) in Snowflake: `NUMERIC '1.25'` becomes 1 on Snowflake and
    CAST(x AS NUMERIC) loses digits on both. Spell it DECIMAL(38, 9). BIGNUMERIC (38 decimals) has no equivalent
    and is refused. (bigquery/docs/reference/standard-sql/data-types#decimal_types)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.DataType)):
        if node.this == exp.DataType.Type.BIGDECIMAL:
            holder = node.find_ancestor(exp.Cast, exp.TryCast) or node  # the CAST carries the source position
            raise ctx.refuse(holder, "BIGNUMERIC (38 decimal digits) has no exact equivalent",
                             "NUMERIC (9 decimals), or FLOAT64 when an approximate value is enough")
        if node.this == exp.DataType.Type.DECIMAL and not node.expressions:
            node.replace(exp.DataType.build("DECIMAL(38, 9)"))
            ctx.note("numeric", "NUMERIC keeps BigQuery's 9 decimals (DECIMAL(38, 9))")
    return tree
