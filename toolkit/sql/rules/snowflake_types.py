"""Snowflake result types and roundings that sqlglot's DuckDB text loses (found by tests/corpus/snowflake_hunt).

fakesnow, the Snowflake stand-in, runs the same sqlglot translation on DuckDB, so parity against it cannot see these:
each rule's test states Snowflake's documented value instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp


_DATE_UNITS = frozenset({"DAY", "WEEK", "MONTH", "QUARTER", "YEAR"})


def dateadd_of_a_date_is_a_date(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake DATEADD(day|week|month|quarter|year, n, d) of a DATE returns a DATE; sqlglot writes DuckDB
    `d + INTERVAL n MONTH`, which DuckDB types TIMESTAMP (2024-02-29 00:00:00), a type change downstream consumers
    see (and parity's type check would report). Cast the sum back to DATE.
    (docs.snowflake.com/en/sql-reference/functions/dateadd: "If date_or_time_expr is a date ... and date_or_time_part
    is day or larger ... the function returns a DATE value")"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.DateAdd, exp.TimestampAdd)):
        unit = node.args.get("unit")
        name = unit.name.upper() if unit is not None else "DAY"
        if not is_date(node.this) or name.rstrip("S") not in _DATE_UNITS or isinstance(node.parent, exp.Cast):
            continue
        typed = exp.cast(node.copy(), exp.DataType.build("DATE"))
        typed.type = exp.DataType.build("DATE")
        node.replace(typed)
        ctx.note("dateadd", "DATEADD of a DATE by days or larger stays a DATE")
    return tree


def median_keeps_three_more_decimals(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake MEDIAN / PERCENTILE_CONT of a NUMBER(p, s) return an exact NUMBER(p + 3, s + 3) (the median of
    50.29 and 50.30 is 50.295); DuckDB's median of a DECIMAL(12, 2) stays a DECIMAL(12, 2) and says 50.29, and its
    quantile of a wider DECIMAL interpolates in floating point and truncates (245.58199 for 245.582). Take the
    quantile in DOUBLE and round it to s + 3 decimals, as a DECIMAL(p + 3, s + 3).
    (docs.snowflake.com/en/sql-reference/functions/median: "returns NUMBER(p+3, s+3)"; .../percentile_cont)"""
    from sqlglot import exp

    aggregates: list[tuple[exp.Expression, exp.Expression]] = [(node, node.this) for node in tree.find_all(exp.Median)]
    for group in tree.find_all(exp.WithinGroup):
        order = group.expression
        if isinstance(group.this, exp.PercentileCont) and isinstance(order, exp.Order) and len(order.expressions) == 1:
            aggregates.append((group, order.expressions[0].this))
    for aggregate, value in aggregates:
        data_type = getattr(value, "type", None)
        if data_type is None or not data_type.is_type(exp.DataType.Type.DECIMAL) or len(data_type.expressions) != 2:
            continue
        precision, scale = (int(e.this.this) for e in data_type.expressions)
        value.replace(exp.cast(value.copy(), exp.DataType.build("DOUBLE")))
        target = aggregate.parent if isinstance(aggregate.parent, exp.Window) and aggregate.parent.this is aggregate \
            else aggregate
        wider = f"DECIMAL({min(precision + 3, 38)}, {scale + 3})"
        exact = exp.cast(exp.Round(this=target.copy(), decimals=exp.Literal.number(scale + 3)),
                         exp.DataType.build(wider))
        exact.type = exp.DataType.build(wider)
        target.replace(exact)
        ctx.note("median-scale", "MEDIAN / PERCENTILE_CONT of a NUMBER keep 3 more decimals, as on Snowflake")
    return tree


def avg_of_numbers_keeps_division_scale(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake AVG of an exact NUMBER(p, s) (integers included) is an exact NUMBER with the division's scale,
    max(s, min(s + 6, 12)) decimals, rounded: AVG of 1, 2, 2 is 1.666667 (Snowflake's own example), where DuckDB's
    and BigQuery's AVG give the DOUBLE 1.6666666666666667, a relative difference far above parity's tolerance.
    Emit SUM(x) / COUNT(x) (the window copied for AVG(...) OVER), which `snowflake_division_scale` then divides at
    Snowflake's scale. (docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/api/
    snowflake.snowpark.functions.avg: avg of [1, 2, 2] = 1.666667; .../sql-reference/operators-arithmetic)"""
    from sqlglot import exp

    from toolkit.sql.rules.snowflake_source import _scale, snowflake_division_scale

    changed = False
    for avg in list(tree.find_all(exp.Avg)):
        value = avg.this
        operand = value.expressions[0] if isinstance(value, exp.Distinct) and len(value.expressions) == 1 else value
        if _scale(operand) is None:
            continue  # a FLOAT (or an unknown type) averages in floating point on Snowflake too
        total: exp.Expression = exp.Sum(this=value.copy())
        total.type = operand.type.copy()
        count: exp.Expression = exp.Count(this=value.copy())
        count.type = exp.DataType.build("BIGINT")
        target: exp.Expression = avg
        if isinstance(avg.parent, exp.Window) and avg.parent.this is avg:
            target = avg.parent
            total = _windowed(target, exp.Sum(this=value.copy()), operand.type)
            count = _windowed(target, exp.Count(this=value.copy()), exp.DataType.build("BIGINT"))
        target.replace(exp.Div(this=total, expression=count, typed=False, safe=False))
        changed = True
    if changed:
        tree = snowflake_division_scale(tree, ctx)
        ctx.note("avg-scale", "AVG of a NUMBER keeps Snowflake's division scale (SUM / COUNT)")
    return tree


def _windowed(window: "exp.Expression", aggregate: "exp.Expression", data_type) -> "exp.Expression":
    copy = window.copy()
    aggregate.type = data_type.copy()
    copy.set("this", aggregate)
    copy.type = data_type.copy()
    return copy


def within_group_quantiles_as_calls(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake PERCENTILE_CONT(f) / PERCENTILE_DISC(f) WITHIN GROUP (ORDER BY x) reach DuckDB as
    QUANTILE_CONT(x, f ORDER BY x), an aggregate ORDER BY DuckDB ignores but that no later reader (the Athena and
    Redshift passes through DuckDB) takes for a quantile: Athena refused it as "a fraction that is not a literal"
    and Redshift's text did not parse. Emit DuckDB's own QUANTILE_CONT(x, f) (ORDER BY x DESC is the 1 - f quantile).
    (docs.snowflake.com/en/sql-reference/functions/percentile_cont; duckdb.org/docs/stable/sql/functions/aggregates)"""
    from sqlglot import exp

    for group in list(tree.find_all(exp.WithinGroup)):
        quantile, order = group.this, group.expression
        if not isinstance(quantile, (exp.PercentileCont, exp.PercentileDisc)) or not isinstance(order, exp.Order):
            continue
        fraction = quantile.this
        if len(order.expressions) != 1 or not (isinstance(fraction, exp.Literal) and not fraction.is_string):
            continue
        ordered = order.expressions[0]
        if ordered.args.get("desc"):
            fraction = exp.Literal.number(str(1 - float(fraction.this)))
        call = type(quantile)(this=ordered.this.copy(), expression=fraction.copy())
        call.type = ordered.this.type
        group.replace(call)
        ctx.note("quantile-call", "PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY x) -> QUANTILE_CONT(x, f)")
    return tree
