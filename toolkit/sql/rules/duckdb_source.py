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
    FORMAT_DATETIME(f, CAST(d AS DATETIME)) (any wall-clock TIMESTAMP is formatted with FORMAT_DATETIME there) (docs.cloud.google.com/bigquery/docs/reference/standard-sql/
    datetime_functions, FORMAT_DATETIME), Snowflake TO_CHAR(CAST(d AS TIMESTAMP_NTZ), f)."""
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
