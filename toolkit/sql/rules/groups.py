"""Grouping, window partitions and set operations whose DuckDB meaning BigQuery reads otherwise (found by the widened
differential fuzzer, issue 13 item 6; minimal queries in tests/integration/fuzz/test_fuzz_widened_regressions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext
from toolkit.sql.rules.duckdb_functions import float_valued

if TYPE_CHECKING:
    from sqlglot import exp


def float_partition_keys(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB partitions a window by any value, a DOUBLE included (`OVER (PARTITION BY sign(discount_pct))`);
    BigQuery refuses it ("Partitioning by expressions of type FLOAT64 is not allowed": cloud.google.com/bigquery/
    docs/reference/standard-sql/window-function-calls#def_window_spec). Partition by the value's text instead:
    BigQuery's FLOAT64 text is the shortest round-trip form, so equal values (-0 and 0 made equal by adding 0.0
    first; NaN with NaN, as DuckDB does) share a partition and different values do not."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for window in tree.find_all(exp.Window):
        for key in list(window.args.get("partition_by") or []):
            if float_valued(key):
                plus_zero = exp.Add(this=exp.Paren(this=key.copy()), expression=exp.Literal.number("0.0"))
                text = exp.cast(plus_zero, exp.DataType.build("VARCHAR"))
                text.type = exp.DataType.build("VARCHAR")
                key.replace(text)
                ctx.note("float-partition", "a FLOAT64 window partition key is partitioned by its text")
    return tree


def set_operation_instants_in_utc(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB unifies the columns of UNION / EXCEPT / INTERSECT branches: a DATE or naive TIMESTAMP (`order_date -
    INTERVAL 2 DAY`) beside a TIMESTAMPTZ becomes an instant in the session zone (UTC here). BigQuery coerces
    neither DATE nor DATETIME to TIMESTAMP ("Column 1 in UNION ALL has incompatible types: DATETIME, TIMESTAMP";
    cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules). Cast the wall-clock branch's column to
    TIMESTAMP (read in UTC), as wall_clock_meets_instant_in_utc does for comparisons."""
    from sqlglot import exp

    from toolkit.sql.rules.timestamps import _is_instant, _is_wall_clock

    if ctx.target != "bigquery":
        return tree
    for node in reversed(list(tree.find_all(exp.SetOperation))):  # innermost first (copies)
        branches = [node.this, node.expression]
        while any(isinstance(b, exp.Subquery) for b in branches):
            branches = [b.this if isinstance(b, exp.Subquery) else b for b in branches]
        if not all(isinstance(b, exp.Select) for b in branches):
            continue
        for column in zip(*(b.expressions for b in branches)):
            values = [c.this if isinstance(c, exp.Alias) else c for c in column]
            if not any(_is_instant(v) for v in values):
                continue
            for value in values:
                if _is_wall_clock(value) and not _is_instant(value):
                    cast = exp.cast(value.copy(), exp.DataType.build("TIMESTAMPTZ"))
                    cast.type = exp.DataType.build("TIMESTAMPTZ")
                    value.replace(cast)
                    ctx.note("instants", "a DATE or wall-clock column beside a TIMESTAMP one in a set operation is "
                                         "cast to TIMESTAMP (UTC)")
    return tree


def grand_total_without_rows(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """ROLLUP, CUBE and GROUPING SETS with () have a grand-total grouping; DuckDB returns its row even when no row
    reaches the GROUP BY (`... WHERE FALSE GROUP BY ROLLUP (k)` is one row: k NULL, COUNT(*) 0), as the SQL
    standard and PostgreSQL do. ZetaSQL, BigQuery's reference implementation, returns no row then. Add that row:
    `<query> UNION ALL SELECT <items, keys as typed NULLs> FROM <same rows> GROUP BY () HAVING COUNT(*) = 0
    [AND <HAVING, keys as NULL>]` (a grand total: one row exactly when there are no rows), ORDER BY and LIMIT over
    both. A QUALIFY, or a plain key beside the grouping sets (no grand total then), leaves the query as it is."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for select in reversed(list(tree.find_all(exp.Select))):  # innermost first (copies)
        group = select.args.get("group")
        parts = [] if group is None else group.expressions
        sets = [s for s in parts if isinstance(s, (exp.Rollup, exp.Cube, exp.GroupingSets))]
        # a grand total exists when every grouping construct has () and no plain key sits beside them
        if not sets or len(sets) != len(parts) or not all(_has_empty_set(s) for s in sets) \
                or select.args.get("qualify"):
            continue
        keys = {key.sql(dialect="bigquery"): key for s in sets for key in _grouping_keys(s)}
        total = select.copy()
        for part in ("order", "limit", "offset"):
            total.set(part, None)
        total.set("group", exp.Group(expressions=[exp.Tuple(expressions=[])]))  # GROUP BY (): lets HAVING count
        for item in list(total.expressions):
            if not isinstance(item, exp.Alias) and item.sql(dialect="bigquery") in keys:  # a bare key: keep its name
                item = item.replace(exp.alias_(item.copy(), item.output_name))
            _null_keys(item, keys)
        condition: exp.Expression = exp.EQ(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(0))
        if total.args.get("having") is not None:
            having = total.args["having"].this
            _null_keys(having, keys)
            condition = exp.and_(condition, exp.Paren(this=having))
        total.set("having", exp.Having(this=condition))
        with_key = "with_" if "with_" in select.args else "with"  # sqlglot 30 names it with_
        moved = ("order", "limit", "offset", with_key)  # onto the union: they apply to both branches
        kept = {part: select.args.get(part) for part in moved}
        body = select.copy()
        for part in moved:
            body.set(part, None)
            total.set(part, None)
        union = exp.union(body, total, distinct=False)
        for part, value in kept.items():
            if value is not None:
                union.set(part, value.copy())
        _order_by_output_names(union.args.get("order"), select)
        if select is tree:
            tree = union
        else:
            select.replace(exp.Subquery(this=union) if isinstance(select.parent, exp.SetOperation) else union)
        ctx.note("grand-total", "ROLLUP/CUBE/GROUPING SETS keep their grand-total row on no rows, as in the source")
    return tree


def _order_by_output_names(order: "exp.Expression | None", select: "exp.Select") -> None:
    """An ORDER BY over a UNION sees only the output columns: BigQuery rejects `c.country` there ("Unrecognized
    name: c"), so an ordering item that is a SELECT item is ordered by that item's output name."""
    from sqlglot import exp

    if order is None:
        return
    names = {}
    for item in select.expressions:
        inner = item.this if isinstance(item, exp.Alias) else item
        if item.output_name:
            names.setdefault(inner.sql(dialect="bigquery"), item.output_name)
    for ordered in order.expressions:
        name = names.get(ordered.this.sql(dialect="bigquery"))
        if name is not None and not (isinstance(ordered.this, exp.Column) and not ordered.this.table):
            ordered.set("this", exp.column(name, quoted=True))


def _has_empty_set(grouping: "exp.Expression") -> bool:
    from sqlglot import exp

    if isinstance(grouping, (exp.Rollup, exp.Cube)):
        return True
    return any(isinstance(s, exp.Tuple) and not s.expressions for s in grouping.expressions)


def _grouping_keys(grouping: "exp.Expression") -> list["exp.Expression"]:
    from sqlglot import exp

    keys = []
    for item in grouping.expressions:
        members = item.expressions if isinstance(item, exp.Tuple) else [item]
        keys.extend(m.this if isinstance(m, exp.Paren) else m for m in members)
    return keys


def _null_keys(node: "exp.Expression", keys: dict[str, "exp.Expression"]) -> None:
    """Replace each grouping key outside an aggregate by NULL (the grand total's keys), GROUPING(...) by 1."""
    from sqlglot import exp

    for sub in list(node.walk(bfs=True)):
        if sub.find_ancestor(exp.AggFunc) is not None or sub.parent is None and sub is not node:
            continue
        if isinstance(sub, exp.Grouping) or isinstance(sub, exp.Anonymous) and sub.name.upper() == "GROUPING":
            sub.replace(exp.Literal.number(1))
        elif sub is not node and isinstance(sub, exp.Expression) and not isinstance(sub, (exp.Alias, exp.Identifier)) \
                and sub.sql(dialect="bigquery") in keys:
            kind = getattr(keys[sub.sql(dialect="bigquery")], "type", None)
            known = isinstance(kind, exp.DataType) and kind.this not in (exp.DataType.Type.UNKNOWN,
                                                                        exp.DataType.Type.NULL)
            # typed: ZetaSQL reads a bare NULL in a UNION branch as INT64; ANY_VALUE over no rows is a NULL of the
            # key's own type where fedkit does not know it
            key = keys[sub.sql(dialect="bigquery")]
            sub.replace(exp.cast(exp.Null(), kind.copy()) if known else exp.AnyValue(this=key.copy()))
