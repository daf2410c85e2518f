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
