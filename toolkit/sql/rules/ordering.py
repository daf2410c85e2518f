"""Ordering rules: where NULLs sort, and which rows a window frame sees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp

NULLS_META = "fedkit_nulls"  # "FIRST" | "LAST": printed explicitly by toolkit.sql.rules.render


def explicit_null_ordering(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """NULLs sort first on BigQuery ASC, last on DuckDB ASC and on Snowflake ASC (NULL is "largest" there, so
    Snowflake DESC puts them first, DuckDB DESC last). Every ORDER BY key of a query or a window gets an explicit
    NULLS FIRST/LAST matching the source dialect, so the order never depends on the engine's default (sqlglot
    alone silently drops the NULLS clause of window ORDER BYs for BigQuery: cumulative sums then differ)."""
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect

    source_ordering = Dialect.get_or_raise(ctx.source).NULL_ORDERING
    marked = 0
    for ordered in tree.find_all(exp.Ordered):
        order = ordered.parent
        holder = order.parent if isinstance(order, exp.Order) else None
        if not isinstance(holder, (exp.Window, exp.Query)):
            # ORDER BY inside an aggregate (STRING_AGG(x ORDER BY x)): when the key is the aggregated value, NULLs
            # are skipped anyway and the target's default is fine; otherwise sqlglot's handling (or refusal) stays.
            value = order.this if isinstance(order, exp.Order) else None
            if isinstance(value, exp.Distinct) and len(value.expressions) == 1:
                value = value.expressions[0]
            if value is not None and value == ordered.this:
                ordered.meta[NULLS_META] = "DEFAULT"
            continue
        nulls_first = ordered.args.get("nulls_first")
        if nulls_first is None:
            desc = bool(ordered.args.get("desc"))
            nulls_first = (
                (source_ordering == "nulls_are_small" and not desc) or (source_ordering == "nulls_are_large" and desc)
            )
        ordered.set("nulls_first", bool(nulls_first))
        ordered.meta[NULLS_META] = "FIRST" if nulls_first else "LAST"
        marked += 1
    if marked:
        ctx.note("null-ordering", "every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them")
    return tree


_FRAME_SENSITIVE = ("FirstValue", "LastValue", "NthValue")


def explicit_window_frame(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """FIRST_VALUE/LAST_VALUE/NTH_VALUE with ORDER BY and no frame: DuckDB and BigQuery default to RANGE BETWEEN
    UNBOUNDED PRECEDING AND CURRENT ROW, Snowflake to the whole partition, so LAST_VALUE differs. State the frame."""
    from sqlglot import exp

    for window in tree.find_all(exp.Window):
        func = window.this
        if isinstance(func, (exp.IgnoreNulls, exp.RespectNulls)):
            func = func.this
        if type(func).__name__ not in _FRAME_SENSITIVE or not window.args.get("order") or window.args.get("spec"):
            continue
        window.set(
            "spec",
            exp.WindowSpec(kind="RANGE", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"),
        )
        ctx.note("window-frame", f"{type(func).__name__} gets the explicit default frame of the source")
    return tree


def qualify_needs_where(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery rejects QUALIFY unless the SELECT also has WHERE, GROUP BY or HAVING: add `WHERE TRUE`."""
    from sqlglot import exp

    for select in tree.find_all(exp.Select):
        if select.args.get("qualify") and not any(select.args.get(k) for k in ("where", "group", "having")):
            select.set("where", exp.Where(this=exp.true()))
            ctx.note("qualify", "QUALIFY gets WHERE TRUE (BigQuery requires WHERE, GROUP BY or HAVING with it)")
    return tree


def expand_group_and_order_all(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's `GROUP BY ALL` groups by every SELECT item that holds no aggregate and reads a column, and `ORDER BY
    ALL` sorts by every SELECT item left to right. sqlglot copies both through, and BigQuery (ZetaSQL) rejects them
    (`Unexpected keyword ALL`). Spell them out as positions, which every engine reads the same way: `GROUP BY 1, 2`,
    `ORDER BY 1, 2, 3`."""
    from sqlglot import exp

    for select in list(tree.find_all(exp.Select)):
        items = select.expressions
        group = select.args.get("group")
        order = select.args.get("order")
        order_all = (order is not None and len(order.expressions) == 1
                     and isinstance(order.expressions[0].this, exp.Var) and order.expressions[0].this.name.upper() == "ALL")
        if not (group is not None and group.args.get("all")) and not order_all:
            continue
        if any(isinstance(item, exp.Star) or isinstance(item.this, exp.Star) for item in items):  # `*`, `t.*`
            raise ctx.refuse(select, "GROUP BY ALL / ORDER BY ALL over SELECT * cannot be spelled out",
                             "the column list, then GROUP BY ALL")
        if group is not None and group.args.get("all"):
            # DuckDB's GROUP BY ALL leaves out items that read no column (`SELECT 1 AS a, COUNT(*) ... WHERE FALSE
            # GROUP BY ALL` is one row, GROUP BY 1 none; measured): so do the positions
            keys = [exp.Literal.number(i) for i, item in enumerate(items, start=1)
                    if not item.find(exp.AggFunc) and not item.find(exp.Window) and item.find(exp.Column)]
            select.set("group", exp.Group(expressions=keys) if keys else None)
            ctx.note("group-by-all", "GROUP BY ALL -> the positions of the non-aggregate SELECT items")
        if order_all:
            template = order.expressions[0]
            keys = [exp.Ordered(this=exp.Literal.number(i), desc=template.args.get("desc"),
                                nulls_first=template.args.get("nulls_first")) for i in range(1, len(items) + 1)]
            select.set("order", exp.Order(expressions=keys))
            ctx.note("order-by-all", "ORDER BY ALL -> every SELECT position, left to right")
    return tree
