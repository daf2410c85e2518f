"""DuckDB as the source: where DuckDB treats a DATE as its midnight TIMESTAMP (found with independently written
DuckDB KPIs and the differential fuzzer, issue 13)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp

# Left by `dates.date_trunc_keeps_date` on the DATE it made of DuckDB's TIMESTAMP-valued date_trunc (node meta).
TRUNCATED_DATE = "fedkit_truncated_date"

_DATE_UNITS = frozenset({"DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "DECADE", "CENTURY", "MILLENNIUM"})
_CLOCK_PARTS = frozenset({"HOUR", "HOURS", "H", "MINUTE", "MINUTES", "M", "SECOND", "SECONDS", "S", "MILLISECOND",
                          "MILLISECONDS", "MS", "MICROSECOND", "MICROSECONDS", "US", "EPOCH", "TIME"})
_CLOCK_CODES = frozenset("HIMSpfTXRr")  # strftime codes that print a time of day


def _unit_name(node: "exp.Expression") -> str:
    unit = node.args.get("unit")
    return (unit.name if unit is not None else "DAY").upper()


def _consumer(node: "exp.Expression") -> "tuple[exp.Expression | None, exp.Expression]":
    """The first node that does something with `node`'s value other than pass it on (COALESCE, CASE branches,
    GREATEST, MIN/MAX, value windows, parentheses pass it on), and the child it receives the value through."""
    from sqlglot import exp

    passing = (exp.Paren, exp.Coalesce, exp.Nullif, exp.Case, exp.If, exp.Greatest, exp.Least, exp.Min, exp.Max,
               exp.AnyValue, exp.FirstValue, exp.LastValue, exp.Lag, exp.Lead, exp.NthValue, exp.IgnoreNulls,
               exp.RespectNulls, exp.First, exp.Last)
    child, parent = node, node.parent
    while isinstance(parent, passing) or (isinstance(parent, exp.Window) and child is parent.this):
        if isinstance(parent, exp.If) and child is parent.this:  # a CASE condition, not a branch
            break
        child, parent = parent, parent.parent
    return parent, child


def _reads_a_clock(consumer: "exp.Expression | None", child: "exp.Expression") -> bool:
    """Whether `consumer` gives another answer for DuckDB's midnight TIMESTAMP than for the DATE of that day: it reads
    the time of day, prints the value, or does timestamp arithmetic with it."""
    from sqlglot import exp

    if consumer is None:
        return False
    if isinstance(consumer, (exp.TimestampTrunc, exp.DateTrunc, exp.DatetimeTrunc)):
        return _unit_name(consumer) not in _DATE_UNITS
    if isinstance(consumer, exp.Extract):
        return consumer.this.name.upper() in _CLOCK_PARTS
    if isinstance(consumer, (exp.Hour, exp.Minute, exp.Second, exp.TimeToUnix, exp.UnixToTime, exp.DPipe,
                             exp.Concat, exp.ConcatWs)):
        return True
    if isinstance(consumer, (exp.Cast, exp.TryCast)):
        return consumer.to.this in exp.DataType.TEXT_TYPES
    if isinstance(consumer, exp.TimeToStr):
        fmt = consumer.args.get("format")
        return not isinstance(fmt, exp.Literal) or bool(set(re.findall(r"%(.)", fmt.this)) & _CLOCK_CODES)
    if isinstance(consumer, (exp.Add, exp.Sub)):
        other = consumer.expression if child is consumer.this else consumer.this
        return not isinstance(other, exp.Interval)
    if isinstance(consumer, (exp.DateDiff, exp.TimestampDiff, exp.DatetimeDiff)):
        return _unit_name(consumer) not in _DATE_UNITS
    return False


def truncated_date_read_as_timestamp(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's date_trunc('month', d) on a DATE returns a TIMESTAMP (midnight); `date_trunc_keeps_date` makes it a
    DATE, which is the same answer where it is selected, grouped, ordered or compared, but not where the source reads
    it as a timestamp: date_trunc('hour', ...) over it (BigQuery: "TIMESTAMP_TRUNC does not support the HOUR date
    part" on a DATE), EXTRACT(HOUR ...) ("EXTRACT from DATE does not support the HOUR date part"), CAST(... AS
    VARCHAR) and strftime (DuckDB prints '2024-01-01 00:00:00', a DATE prints '2024-01-01'), || and timestamp
    arithmetic. There, keep the source's TIMESTAMP: CAST(<date truncation> AS TIMESTAMP) (BigQuery DATETIME, which
    TIMESTAMP_TRUNC, EXTRACT and FORMAT_DATETIME take: docs.cloud.google.com/bigquery/docs/reference/standard-sql/
    timestamp_functions, TIMESTAMP_TRUNC "Truncates a TIMESTAMP or DATETIME value"; Snowflake TIMESTAMP_NTZ)."""
    from sqlglot import exp

    for node in list(tree.walk()):
        if not node.meta.get(TRUNCATED_DATE):
            continue
        consumer, child = _consumer(node)
        if not _reads_a_clock(consumer, child):
            continue
        truncation = node.this if isinstance(node, exp.Cast) else node  # DuckDB: CAST(DATE_TRUNC(...) AS DATE)
        timestamp = exp.cast(truncation.copy(), exp.DataType.build("TIMESTAMP"))
        timestamp.type = exp.DataType.build("TIMESTAMP")
        node.replace(timestamp)
        ctx.note("date-trunc-timestamp", "a truncated DATE read as a timestamp stays the source's TIMESTAMP")
    return tree


def _is_wall_clock_timestamp(node: "exp.Expression") -> bool:
    from sqlglot import exp

    kind = getattr(node, "type", None)
    return kind is not None and kind.this in (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.DATETIME,
                                              exp.DataType.Type.TIMESTAMPNTZ)


def date_formatted_with_a_clock(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's strftime(d, '%Y-%m-%d %H:%M') formats a DATE as its midnight TIMESTAMP ('2024-01-05 00:00'). sqlglot
    writes BigQuery FORMAT_DATE, which prints a time code of a DATE literally ('2024-01-05 %H:%M', ZetaSQL), and
    Snowflake TO_CHAR of a DATE. Where the format prints a time of day, format the DATE as a timestamp: BigQuery
    FORMAT_DATETIME(f, CAST(d AS DATETIME)) (any wall-clock TIMESTAMP is formatted with FORMAT_DATETIME there:
    docs.cloud.google.com/bigquery/docs/reference/standard-sql/datetime_functions, FORMAT_DATETIME), Snowflake
    TO_CHAR(CAST(d AS TIMESTAMP_NTZ), f)."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.TimeToStr)):
        operand = node.this
        if is_date(operand) and _reads_a_clock(node, operand):
            timestamp: exp.Expression = exp.cast(operand.copy(), exp.DataType.build("TIMESTAMP"))
        elif ctx.target == "bigquery" and _is_wall_clock_timestamp(operand):
            timestamp = operand.copy()
        else:
            continue
        timestamp.type = exp.DataType.build("TIMESTAMP")
        if ctx.target == "bigquery":  # sqlglot prints FORMAT_DATETIME for this wrapper (FORMAT_DATE otherwise)
            timestamp = exp.TsOrDsToDatetime(this=timestamp)
            timestamp.type = exp.DataType.build("TIMESTAMP")
        operand.replace(timestamp)
        ctx.note("date-format-clock", "a DATE formatted with a time of day is formatted as its midnight timestamp")
    return tree


# DuckDB's date_part names and abbreviations (duckdb.org/docs/stable/sql/functions/datepart) -> the EXTRACT part the
# later date rules (dates.py: weekday, week and calendar numbering) translate for each engine. Parts missing here
# (decade, century, millennium; millisecond and microsecond, which DuckDB counts with the seconds) are refused.
_DATE_PART_AS_EXTRACT = {
    "year": "YEAR", "years": "YEAR", "y": "YEAR", "yr": "YEAR", "yrs": "YEAR",
    "quarter": "QUARTER", "quarters": "QUARTER",
    "month": "MONTH", "months": "MONTH", "mon": "MONTH",
    "day": "DAY", "days": "DAY", "d": "DAY", "dayofmonth": "DAY",
    "week": "WEEK", "weeks": "WEEK", "w": "WEEK", "weekofyear": "WEEK",
    "dow": "DOW", "dayofweek": "DOW", "weekday": "DOW", "isodow": "ISODOW",
    "doy": "DOY", "dayofyear": "DOY", "isoyear": "ISOYEAR", "yearweek": "YEARWEEK",
    "hour": "HOUR", "hours": "HOUR", "h": "HOUR", "minute": "MINUTE", "minutes": "MINUTE", "m": "MINUTE",
    "second": "SECOND", "seconds": "SECOND", "s": "SECOND",
}
_YEAR_GROUPS = ("decade", "century", "millennium")


def date_part_as_extract(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_part('hour', ts)` / `datepart('dow', d)` is EXTRACT(hour FROM ts) (duckdb.org/docs/stable/sql/
    functions/datepart). sqlglot keeps it as an unknown function: BigQuery has no DATE_PART ("Function not found:
    date_part") and Snowflake's DATE_PART numbers weekdays and weeks by WEEK_START. Read it as EXTRACT, so the
    weekday, week and calendar rules that follow translate it like any EXTRACT. A part that is not one literal
    (DuckDB also takes a list of parts, returning a STRUCT) is left alone. Likewise `weekday(d)` (DuckDB's name for
    dayofweek, unknown to BigQuery) and EXTRACT(epoch FROM ts), which is epoch(ts) (a DOUBLE; BigQuery: "A valid
    date part name is required but found EPOCH")."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Anonymous, exp.Extract)):
        if isinstance(node, exp.Extract):  # EXTRACT(epoch FROM ts) is DuckDB's epoch(ts), a DOUBLE
            if node.this.name.lower() in _YEAR_GROUPS:
                raise ctx.refuse(node, f"EXTRACT({node.this.name.upper()}) has no counterpart on the other engines",
                                 "arithmetic on EXTRACT(YEAR FROM d) (year(d) // 10 for a decade)")
            if node.this.name.upper() == "EPOCH":
                epoch = exp.TimeToUnix(this=node.expression.copy())
                epoch.type = exp.DataType.build("DOUBLE")
                node.replace(epoch)
            continue
        if node.name.lower() == "weekday" and len(node.expressions) == 1:  # DuckDB's synonym of dayofweek
            weekday = exp.DayOfWeek(this=node.expressions[0].copy())
            weekday.type = exp.DataType.build("BIGINT")
            node.replace(weekday)
            ctx.note("date-part", "weekday(d) is dayofweek(d), Sunday = 0")
            continue
        if node.name.lower() not in ("date_part", "datepart") or len(node.expressions) != 2:
            continue
        part, value = node.expressions
        if not (isinstance(part, exp.Literal) and part.is_string):
            continue
        name = part.this.lower()
        if name == "epoch":
            extract: exp.Expression = exp.TimeToUnix(this=value.copy())
            extract.type = exp.DataType.build("DOUBLE")
        elif name in _DATE_PART_AS_EXTRACT:
            extract = exp.Extract(this=exp.var(_DATE_PART_AS_EXTRACT[name]), expression=value.copy())
            extract.type = exp.DataType.build("BIGINT")
        else:
            raise ctx.refuse(node, f"date_part with '{name}' has no EXTRACT counterpart on the other engines",
                             "EXTRACT(YEAR | QUARTER | MONTH | DAY | WEEK | DOW | ISODOW | DOY | ISOYEAR | HOUR | MINUTE "
                             "| SECOND FROM d), or arithmetic on them (year(d) // 10 for a decade)")
        node.replace(extract)
        ctx.note("date-part", "date_part('part', x) is EXTRACT(part FROM x)")
    return tree


def _instant(node: "exp.Expression") -> "exp.Expression":
    """`node` as an instant: CAST(... AS TIMESTAMPTZ) for a DATE or a wall-clock TIMESTAMP (read in UTC, as DuckDB's
    epoch functions read them), unchanged when it is one already."""
    from sqlglot import exp

    kind = getattr(node, "type", None)
    if kind is not None and kind.this in (exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ):
        return node
    cast = exp.cast(node, exp.DataType.build("TIMESTAMPTZ"))
    cast.type = exp.DataType.build("TIMESTAMPTZ")
    return cast


def epoch_functions(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `epoch(ts)` is the seconds since 1970-01-01 UTC as a DOUBLE with the fraction (1704226511.268), and
    `epoch_ms(ts)` the milliseconds as a BIGINT (duckdb.org/docs/stable/sql/functions/timestamp). sqlglot writes
    BigQuery TIME_TO_UNIX (no such function), reads epoch_ms(ts) as epoch_ms(integer) -> TIMESTAMP (BigQuery
    TIMESTAMP_MILLIS(ts), Snowflake TO_TIMESTAMP(ts, 3): a timestamp, not a number) and gives Snowflake
    EXTRACT(epoch_second ...), which drops the fraction. Emit BigQuery UNIX_MICROS(ts) / 1000000 and UNIX_MILLIS(ts)
    (docs.cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions), Snowflake
    CAST(DATE_PART(EPOCH_MICROSECOND, ts) AS DOUBLE) / 1000000 and DATE_PART(EPOCH_MILLISECOND, ts)
    (docs.snowflake.com/en/sql-reference/functions-date-time, "Supported date and time parts")."""
    from sqlglot import exp

    if ctx.target not in ("bigquery", "snowflake"):
        return tree
    temporal = exp.DataType.TEMPORAL_TYPES
    for node in reversed(list(tree.find_all(exp.TimeToUnix, exp.UnixToTime))):
        value = node.this
        kind = getattr(value, "type", None)
        if isinstance(node, exp.UnixToTime):  # epoch_ms(x): only a temporal x asks for its milliseconds
            scale = node.args.get("scale")
            if kind is None or kind.this not in temporal or scale is None or scale.name != "3":
                continue
        millis = isinstance(node, exp.UnixToTime)
        if ctx.target == "bigquery":
            function = exp.Anonymous(this="UNIX_MILLIS" if millis else "UNIX_MICROS",
                                     expressions=[_instant(value.copy())])
        else:  # a DATE as its midnight TIMESTAMP_NTZ, whose epoch Snowflake counts in UTC
            operand = exp.cast(value.copy(), exp.DataType.build("TIMESTAMP")) if is_date(value) else value.copy()
            function = exp.Extract(this=exp.var("EPOCH_MILLISECOND" if millis else "EPOCH_MICROSECOND"),
                                   expression=operand)
        function.type = exp.DataType.build("BIGINT")
        replacement: exp.Expression = function
        if not millis:
            numerator = function if ctx.target == "bigquery" else exp.cast(function, exp.DataType.build("DOUBLE"))
            replacement = exp.Paren(this=exp.Div(this=numerator, expression=exp.Literal.number(1000000)))
            replacement.type = exp.DataType.build("DOUBLE")
        node.replace(replacement)
        ctx.note("epoch", "epoch() is fractional seconds and epoch_ms() whole milliseconds since 1970 UTC")
    return tree


def parse_time_verbatim(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `strptime(s, '%Y-%m-%d')` parses a wall-clock TIMESTAMP. sqlglot writes BigQuery
    PARSE_TIMESTAMP('%F', s): an instant (a TIMESTAMP, not DuckDB's wall clock) with the format rewritten to %F,
    which ZetaSQL (BigQuery's reference implementation) fails to parse '2024-02-26' with. Emit
    PARSE_DATETIME(format, s) with the source's format codes (BigQuery's parse codes for %Y %m %d %H %M %S are
    DuckDB's: docs.cloud.google.com/bigquery/docs/reference/standard-sql/format-elements). A format with a zone
    (%z, %Z: DuckDB then returns an instant) keeps sqlglot's PARSE_TIMESTAMP."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for node in list(tree.find_all(exp.StrToTime)):
        fmt = node.args.get("format")
        if not (isinstance(fmt, exp.Literal) and fmt.is_string) or set(re.findall(r"%(.)", fmt.this)) & {"z", "Z"}:
            continue
        parsed = exp.Anonymous(this="PARSE_DATETIME", expressions=[fmt.copy(), node.this.copy()])
        parsed.type = exp.DataType.build("TIMESTAMP")
        node.replace(parsed)
        ctx.note("strptime", "strptime parses a wall-clock time (PARSE_DATETIME) with the source's format codes")
    return tree


def week_difference_whole_weeks(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_diff('week', a, b)` is the whole weeks between the two dates, truncated toward zero (measured:
    Sunday 2024-01-07 to Monday 2024-01-08 is 0, Monday to the next Sunday 0, 2024-01-08 to 2024-01-01 is -1; for
    timestamps, of their UTC dates). BigQuery's DATE_DIFF(b, a, WEEK) counts Sunday boundaries (1 for Sunday to the
    next Monday... and Saturday to Sunday: docs.cloud.google.com/bigquery/docs/reference/standard-sql/date_functions,
    DATE_DIFF) and Snowflake's DATEDIFF(week, ...) week boundaries by WEEK_START. Emit the source's definition,
    `date_diff('day', a, b) // 7`, which the day-difference and integer-division rules then translate."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.DateDiff)):
        unit = node.args.get("unit")
        if unit is None or unit.name.upper() not in ("WEEK", "WEEKS", "W"):
            continue
        days = exp.DateDiff(this=node.this.copy(), expression=node.expression.copy(), unit=exp.var("DAY"))
        days.type = exp.DataType.build("BIGINT")
        seven = exp.Literal.number(7)
        seven.type = exp.DataType.build("INT")
        whole = exp.IntDiv(this=days, expression=seven)
        whole.type = exp.DataType.build("BIGINT")
        grouped = exp.Paren(this=whole)
        grouped.type = exp.DataType.build("BIGINT")
        node.replace(grouped)
        ctx.note("week-diff", "date_diff('week', a, b) is whole weeks (days // 7), as in the source")
    return tree


def date_arithmetic_as_operators(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_add(d, INTERVAL 1 MONTH)` is `d + INTERVAL 1 MONTH` (a TIMESTAMP for a DATE), which sqlglot
    garbles for BigQuery (`DATE_ADD(d, INTERVAL (INTERVAL '1' MONTH) DAY)`: "Interval value must be coercible to
    INT64 type"). Write it as the `+` it is, which the interval rules already translate. And `d1 - d2` of two DATEs
    is DuckDB's whole days between them (a BIGINT), but BigQuery's DATE - DATE is an INTERVAL: emit
    DATE_DIFF(d1, d2, DAY) there (docs.cloud.google.com/bigquery/docs/reference/standard-sql/operators, "Date
    arithmetics operators")."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.DateAdd)):
        if isinstance(node.expression, exp.Interval) and node.args.get("unit") is None:
            added = exp.Add(this=node.this.copy(), expression=node.expression.copy())
            added.type = exp.DataType.build("TIMESTAMP") if is_date(node.this) else getattr(node.this, "type", None)
            node.replace(exp.Paren(this=added))
            ctx.note("date-add", "date_add(d, interval) is d + interval")
    if ctx.target != "bigquery":
        return tree
    from toolkit.sql.rules.snowflake_dates import date_minus_date_is_days  # Snowflake's DATE - DATE is days too

    return date_minus_date_is_days(tree, ctx)


def last_day_of_an_instant(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `last_day(ts)` of a TIMESTAMPTZ is the DATE ending its month (in the session zone, UTC here). BigQuery's
    LAST_DAY takes a DATE or a DATETIME, not a TIMESTAMP ("No matching signature for function LAST_DAY"): take
    the UTC date first, LAST_DAY(CAST(ts AS DATE)) (BigQuery's DATE of a TIMESTAMP is in UTC by default)."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for node in list(tree.find_all(exp.LastDay)):
        kind = getattr(node.this, "type", None)
        if kind is None or kind.this not in (exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ):
            continue
        day = exp.cast(node.this.copy(), exp.DataType.build("DATE"))
        day.type = exp.DataType.build("DATE")
        node.set("this", day)
        ctx.note("last-day", "last_day of a TIMESTAMP is taken of its UTC date")
    return tree


def timestamp_text_as_duckdb_prints(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB prints a timestamp as text with the fraction's trailing zeros cut and no fraction when it is zero
    ('2024-01-01 10:00:00', '... 10:00:53.03'), and an instant with its offset in the session zone (UTC here:
    '... 10:00:53.03+00'). BigQuery's CAST to STRING prints the fraction in groups of three ('... 20:00:53.030+00',
    ZetaSQL), Snowflake's follows TIMESTAMP_*_OUTPUT_FORMAT, by default 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM'
    ('... 10:00:00.000', '... 10:00:53.030 +0000': docs.snowflake.com/en/sql-reference/parameters,
    TIMESTAMP_OUTPUT_FORMAT), which fakesnow does not show. Print six digits in UTC and cut the zeros:
    REGEXP_REPLACE(<'%Y-%m-%d %H:%M:%E6S' | 'YYYY-MM-DD HH24:MI:SS.FF6'>, '[.]?0*$', '') || '+00' for an instant
    (BigQuery FORMAT_TIMESTAMP(..., 'UTC') / FORMAT_DATETIME, Snowflake TO_CHAR(CONVERT_TIMEZONE('UTC', ts)))."""
    from sqlglot import exp

    if ctx.target not in ("bigquery", "snowflake"):
        return tree
    wall = (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMPNTZ)
    instants = (exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ)
    for node in list(tree.find_all(exp.Cast, exp.TryCast)):
        if node.to.this not in exp.DataType.TEXT_TYPES:
            continue
        kind = getattr(node.this, "type", None)
        if kind is None or kind.this not in wall + instants:
            continue
        instant = kind.this in instants
        value = node.this.copy()
        if ctx.target == "bigquery":
            function = "FORMAT_TIMESTAMP" if instant else "FORMAT_DATETIME"
            arguments = [exp.Literal.string("%Y-%m-%d %H:%M:%E6S"), value]
            if instant:
                arguments.append(exp.Literal.string("UTC"))
            printed = exp.Anonymous(this=function, expressions=arguments)
        else:
            if instant:
                value = exp.Anonymous(this="CONVERT_TIMEZONE", expressions=[exp.Literal.string("UTC"), value])
            printed = exp.Anonymous(this="TO_CHAR",
                                    expressions=[value, exp.Literal.string("YYYY-MM-DD HH24:MI:SS.FF6")])
        trimmed: exp.Expression = exp.RegexpReplace(this=printed, expression=exp.Literal.string("[.]?0*$"),
                                                    replacement=exp.Literal.string(""))
        if instant:
            trimmed = exp.DPipe(this=trimmed, expression=exp.Literal.string("+00"), safe=True)
        trimmed.type = exp.DataType.build("VARCHAR")
        node.replace(exp.Paren(this=trimmed) if instant else trimmed)
        ctx.note("timestamp-text", "a timestamp prints as DuckDB prints it (no trailing zeros; '+00' for an instant)")
    return tree
