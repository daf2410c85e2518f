"""Instants against wall-clock values (found by the differential fuzzer, toolkit/sql/fuzz)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def _peers(node: "exp.Expression") -> list["exp.Expression"]:
    """The operands of `node` that must have one type: compared, or alternatives of one result."""
    from sqlglot import exp

    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
                         exp.Nullif, exp.DateDiff)):
        return [node.this, node.expression]
    if isinstance(node, exp.Between):
        return [node.this, node.args.get("low"), node.args.get("high")]
    if isinstance(node, (exp.In, exp.Coalesce, exp.Greatest, exp.Least)):
        return [node.this, *node.expressions]
    if isinstance(node, exp.Case):
        return [branch.args.get("true") for branch in node.args.get("ifs") or []] + [node.args.get("default")]
    if isinstance(node, exp.If):
        return [node.args.get("true"), node.args.get("false")]
    return []


def _is_instant(node: "exp.Expression") -> bool:
    from sqlglot import exp

    kind = getattr(node, "type", None)
    return kind is not None and kind.this in (exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ)


def _is_wall_clock(node: "exp.Expression") -> bool:
    """A DATE, a naive TIMESTAMP, or DATE ± INTERVAL (a TIMESTAMP in DuckDB, a DATETIME on BigQuery, whatever type
    sqlglot's annotator guessed for it)."""
    from sqlglot import exp

    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, (exp.Add, exp.Sub)) and any(isinstance(side, exp.Interval)
                                                     for side in (node.this, node.expression)):
        return not _is_instant(node.this) and not _is_instant(node.expression)
    kind = getattr(node, "type", None)
    return kind is not None and kind.this in (exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP,
                                              exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMPNTZ)


def wall_clock_meets_instant_in_utc(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB compares a TIMESTAMPTZ with a DATE or a naive TIMESTAMP (`order_ts >= DATE '2024-01-01'`,
    `order_ts >= order_date - INTERVAL 30 DAY`) by casting the wall-clock side to an instant in the session zone
    (UTC here). BigQuery has no implicit cast between TIMESTAMP and DATE or DATETIME ("No matching signature for
    operator >= for argument types: TIMESTAMP, DATE"; docs.cloud.google.com/bigquery/docs/reference/standard-sql/
    conversion_rules): the KPI fails. Cast the wall-clock side to TIMESTAMP (read in UTC, BigQuery's default zone)
    wherever it meets an instant: comparisons, BETWEEN, IN, NULLIF, COALESCE, GREATEST/LEAST, CASE/IF branches,
    date_diff's two ends."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for node in list(tree.walk()):
        peers = [p for p in _peers(node) if isinstance(p, exp.Expression)]
        if not any(_is_instant(p) for p in peers):
            continue
        for peer in peers:
            if _is_wall_clock(peer) and not _is_instant(peer):
                cast = exp.cast(peer.copy(), exp.DataType.build("TIMESTAMPTZ"))
                cast.type = exp.DataType.build("TIMESTAMPTZ")
                peer.replace(cast)
                ctx.note("instants", "a DATE or wall-clock time meeting a TIMESTAMP is cast to TIMESTAMP (UTC)")
    return tree


_CLOCK_UNITS = ("HOUR", "MINUTE", "SECOND")
_CALENDAR_UNITS = ("DAY", "MONTH", "QUARTER", "YEAR")  # WEEK: DuckDB and BigQuery weeks differ (not handled)


def instant_diff_counts_boundaries(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_diff('day', a, b)` on timestamps counts the unit boundaries crossed (23:30 to 00:00 the next day
    is 1 day; 10:59 to 11:00 is 1 hour: duckdb.org/docs/stable/sql/functions/timestamp, date_diff). BigQuery's
    DATE_DIFF / TIMESTAMP_DIFF on TIMESTAMPs counts whole elapsed units (0 for both; docs.cloud.google.com/bigquery/
    docs/reference/standard-sql/timestamp_functions, TIMESTAMP_DIFF) and has no MONTH or YEAR for them. Truncate
    both instants to the unit first (TIMESTAMP_TRUNC in UTC for hours and smaller, DATE in UTC for days and larger):
    the difference of truncated values is the number of boundaries, as in the source."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for node in list(tree.find_all(exp.DateDiff)):
        unit = node.args.get("unit")
        name = unit.name.upper() if unit is not None else "DAY"
        if not (_is_instant(node.this) or _is_instant(node.expression)) or name not in _CLOCK_UNITS + _CALENDAR_UNITS:
            continue
        for key in ("this", "expression"):
            operand = node.args[key]
            if name in _CLOCK_UNITS:
                truncated: exp.Expression = exp.TimestampTrunc(this=operand.copy(), unit=exp.var(name))
                truncated.type = exp.DataType.build("TIMESTAMPTZ")
            else:
                truncated = exp.cast(operand.copy(), exp.DataType.build("DATE"))
                truncated.type = exp.DataType.build("DATE")
            node.set(key, truncated)
        ctx.note("instant-diff", f"date_diff('{name.lower()}') on timestamps counts boundaries, as in the source")
    return tree


_CALENDAR_INTERVALS = ("MONTH", "QUARTER", "YEAR")


def instant_plus_months_via_datetime(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB adds `INTERVAL 1 MONTH` to a TIMESTAMPTZ on the calendar (in the session zone, UTC here; Jan 31 + 1
    month is Feb 29 in 2024). BigQuery refuses it: "TIMESTAMP +/- INTERVAL is not supported for intervals with
    non-zero MONTH or YEAR part" (docs.cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions,
    TIMESTAMP_ADD: no MONTH or YEAR), while DATETIME takes months and clamps to the month's end the same way. Go through
    the UTC wall clock: `CAST(CAST(ts AS DATETIME) + INTERVAL 1 MONTH AS TIMESTAMP)`."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for node in reversed(list(tree.find_all(exp.Add, exp.Sub))):  # innermost first: an outer copy keeps the fix
        interval = node.expression
        if not isinstance(interval, exp.Interval) or not _is_instant(node.this):
            continue
        unit = interval.args.get("unit")
        if unit is None or unit.name.upper() not in _CALENDAR_INTERVALS:
            continue
        wall_clock = exp.cast(node.this.copy(), exp.DataType.build("TIMESTAMP"))  # BigQuery DATETIME
        shifted = type(node)(this=wall_clock, expression=interval.copy())
        instant = exp.cast(shifted, exp.DataType.build("TIMESTAMPTZ"))  # BigQuery TIMESTAMP
        instant.type = exp.DataType.build("TIMESTAMPTZ")
        node.replace(instant)
        ctx.note("instant-months", "TIMESTAMP ± months goes through the UTC DATETIME (BigQuery has no month intervals "
                                   "on TIMESTAMP)")
    return tree
