"""More rules for a BigQuery source: functions DuckDB and Snowflake lack or read differently (IEEE_DIVIDE, FORMAT,
ARRAY_AGG ... LIMIT, EXTRACT(DATE), DATE_DIFF in weeks, AVG of integers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, double, is_date, is_integer

if TYPE_CHECKING:
    from sqlglot import exp


def ieee_divide(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery IEEE_DIVIDE(x, y) divides in FLOAT64 with IEEE results for a zero divisor (inf, -inf, NaN); DuckDB
    and Snowflake have no such function and sqlglot copies the call. DuckDB's `/` on doubles already gives the IEEE
    answers; Snowflake raises on zero, so it gets CASE WHEN y = 0 THEN x * 'inf' ELSE x / y END.
    (bigquery/docs/reference/standard-sql/mathematical_functions#ieee_divide)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() != "IEEE_DIVIDE" or len(node.expressions) != 2:
            continue
        x, y = double(node.expressions[0].copy()), node.expressions[1].copy()
        quotient = exp.Paren(this=exp.Div(this=x, expression=y, typed=False, safe=False))
        if ctx.target == "snowflake":
            infinity = exp.cast(exp.Literal.string("inf"), exp.DataType.build("DOUBLE"))
            quotient = exp.Case(ifs=[exp.If(this=exp.EQ(this=y.copy(), expression=exp.Literal.number(0)),
                                            true=exp.Mul(this=x.copy(), expression=infinity))], default=quotient)
        quotient.type = exp.DataType.build("DOUBLE")
        node.replace(quotient)
        ctx.note("ieee-divide", "IEEE_DIVIDE(x, y) keeps inf/NaN for a zero divisor as on BigQuery")
    return tree


def format_function(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery FORMAT('%d', x) is printf-style; DuckDB's FORMAT takes '{}' placeholders (FORMAT('%d', 3) is '%d')
    and Snowflake has none. FORMAT('%d' | '%s', x) is the value as text everywhere: CAST(x AS VARCHAR); any other
    format is refused. (bigquery/docs/reference/standard-sql/string_functions#format_string)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Format)):
        fmt = node.this
        if isinstance(fmt, exp.Literal) and fmt.is_string and fmt.this in ("%d", "%s") and len(node.expressions) == 1:
            text = exp.cast(node.expressions[0].copy(), exp.DataType.build("VARCHAR"))
            text.type = exp.DataType.build("VARCHAR")
            node.replace(text)
            ctx.note("format", "FORMAT('%d', x) -> CAST(x AS STRING)")
            continue
        shown = fmt.sql(dialect="bigquery")
        raise ctx.refuse(node, f"FORMAT({shown}, ...) has no exact equivalent",
                         "CAST(x AS STRING) for the value as text, or return the number (ROUND(x, 2)) and format it "
                         "where it is shown")
    return tree


def array_agg_limit(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery ARRAY_AGG(x ORDER BY t LIMIT n) keeps the first n values; DuckDB and Snowflake's ARRAY_AGG take no
    LIMIT (sqlglot refuses for DuckDB and copies it for Snowflake, which rejects it). Refuse with the portable form
    of the usual intent, the first value per group.
    (bigquery/docs/reference/standard-sql/aggregate_functions#array_agg)"""
    from sqlglot import exp

    for node in tree.find_all(exp.ArrayAgg):
        if isinstance(node.this, exp.Limit):
            raise ctx.refuse(node, "ARRAY_AGG(... LIMIT n) has no equivalent",
                             "the first row per group: ROW_NUMBER() OVER (PARTITION BY g ORDER BY t) = 1 in a "
                             "subquery or QUALIFY, or FIRST_VALUE(x) OVER (PARTITION BY g ORDER BY t)")
    return tree


def extract_date_or_time(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery EXTRACT(DATE FROM ts) / EXTRACT(TIME FROM ts) take the date or time of day; DuckDB and Snowflake have
    no such parts (sqlglot copies them: "extract specifier not recognized"). Emit CAST(ts AS DATE | TIME), the UTC
    date or time like BigQuery's default zone (every fedkit session is UTC).
    (bigquery/docs/reference/standard-sql/timestamp_functions#extract)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Extract)):
        part = node.this.name.upper() if isinstance(node.this, exp.Var) else ""
        if part not in ("DATE", "TIME"):
            continue
        cast = exp.cast(node.expression.copy(), exp.DataType.build(part))
        cast.type = exp.DataType.build(part)
        node.replace(cast)
        ctx.note("extract-date", f"EXTRACT({part} FROM ts) -> CAST(ts AS {part})")
    return tree


def week_date_diff(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery DATE_DIFF(a, b, WEEK) counts Sunday-start week boundaries between b and a (WEEK(<WEEKDAY>) and
    ISOWEEK: that weekday, Monday); sqlglot cannot print WEEK(SUNDAY) for Snowflake, whose DATEDIFF(week) follows
    WEEK_START. Emit the days between the two weeks' first days, divided by 7.
    (bigquery/docs/reference/standard-sql/date_functions#date_diff)"""
    from sqlglot import exp

    from toolkit.sql.rules.bigquery_source import _days_into_week, _week_start

    for node in list(tree.find_all(exp.DateDiff)):
        unit = node.args.get("unit")
        start = 1 if isinstance(unit, exp.Var) and unit.name.upper() == "ISOWEEK" else _week_start(unit)
        if start is None or not (is_date(node.this) and is_date(node.expression)):
            continue

        def week_first_day(day: exp.Expression) -> exp.Expression:
            return exp.DateSub(this=day.copy(), expression=_days_into_week(day.copy(), start, "snowflake"),
                               unit=exp.var("DAY"))

        days = exp.DateDiff(this=week_first_day(node.this), expression=week_first_day(node.expression),
                            unit=exp.var("DAY"))
        weeks = exp.cast(exp.Paren(this=exp.Div(this=days, expression=exp.Literal.number(7), typed=False,
                                                safe=False)), exp.DataType.build("BIGINT"))
        weeks.type = exp.DataType.build("BIGINT")
        node.replace(weeks)
        ctx.note("week-diff", "DATE_DIFF in weeks counts the source's week boundaries")
    return tree


def avg_of_integers_as_float(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery AVG(INT64) is a FLOAT64 (AVG of 1, 1, 2 = 1.3333333333333333); Snowflake's AVG of an integer column
    is a fixed-point NUMBER with a few decimals (1.333333), a relative error far above parity's tolerance (fakesnow
    cannot show it). Average in DOUBLE. (docs.snowflake.com/en/sql-reference/functions/avg)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Avg)):
        if is_integer(node.this) and not isinstance(node.this, exp.Distinct):
            node.set("this", double(node.this.copy()))
            node.type = exp.DataType.build("DOUBLE")
            ctx.note("avg-float", "AVG(integer) is a FLOAT64 as on BigQuery")
    return tree


_MICROSECONDS = {"MICROSECOND": 1, "MILLISECOND": 1_000, "SECOND": 1_000_000, "MINUTE": 60_000_000,
                 "HOUR": 3_600_000_000, "DAY": 86_400_000_000}


def timestamp_diff_whole_units(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery TIMESTAMP_DIFF(a, b, HOUR) counts whole hours elapsed (10:59 to 11:01 is 0; a DAY is 24 hours);
    sqlglot writes DuckDB DATE_DIFF('HOUR', b, a) and Snowflake TIMESTAMPDIFF(HOUR, b, a), which count hour
    *boundaries* crossed (1). Emit DuckDB DATE_SUB (whole units) and, on Snowflake, the microseconds between them
    divided by the unit, truncated toward zero.
    (bigquery/docs/reference/standard-sql/timestamp_functions#timestamp_diff;
    docs.snowflake.com/en/sql-reference/functions/datediff: "boundaries crossed")"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.TimestampDiff)):
        unit = node.args.get("unit")
        name = unit.name.upper() if unit is not None else ""
        if name not in _MICROSECONDS:
            continue
        later, earlier = node.this.copy(), node.expression.copy()
        if ctx.target == "duckdb":
            whole: exp.Expression = exp.Anonymous(this="DATE_SUB", expressions=[
                exp.Literal.string(name.lower()), earlier, later])
        else:
            micros = exp.DateDiff(this=later, expression=earlier, unit=exp.var("MICROSECOND"))
            quotient = exp.Div(this=micros, expression=exp.Literal.number(_MICROSECONDS[name]), typed=False,
                               safe=False)
            whole = exp.cast(exp.Anonymous(this="TRUNC", expressions=[quotient]), exp.DataType.build("BIGINT"))
        whole.type = exp.DataType.build("BIGINT")
        node.replace(whole)
        ctx.note("timestamp-diff", f"TIMESTAMP_DIFF counts whole {name.lower()}s as on BigQuery, not boundaries")
    return tree
