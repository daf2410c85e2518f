"""A KPI that answers nothing on the sample proves nothing: find it (`vacuous`) and say why (`probe_sql`).

Two results are vacuous: no row at all, or rows whose every cell is NULL (`SUM(x)` over no rows). Engines that agree
on nothing have not shown they agree on anything, so parity reports them `empty`, not `pass` (DESIGN §8: a check
that ran on no rows says so). A single non-NULL cell (`COUNT(*)` = 0) is an answer and is compared as usual.

Why a result is empty is found with one more query on the reference oracle: the KPI's own top-level FROM and JOINs
counted without its WHERE, GROUP BY, HAVING, ORDER BY and LIMIT. Zero rows there with a JOIN means the join keys
matched nothing on the sample; rows there mean the KPI's filters matched none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pyarrow as pa


def vacuous(table: "pa.Table") -> str | None:
    """'0 rows', 'only NULLs (n rows)', or None when the result holds at least one real value."""
    if table.num_rows == 0:
        return "0 rows"
    if all(column.null_count == table.num_rows for column in table.columns):
        return f"only NULLs ({table.num_rows} row{'s' if table.num_rows != 1 else ''})"
    return None


@dataclass(frozen=True)
class Probe:
    sql: str  # SELECT COUNT(*) over the KPI's FROM and JOINs (its CTEs kept), no filter, no grouping
    has_join: bool
    has_filter: bool  # WHERE, HAVING or QUALIFY
    filters_sql: str | None  # the filters as written, to quote in the reason


def probe_sql(sql: str, dialect: str) -> Probe | None:
    """The counting probe for `sql` (one SELECT, refs rendered), or None when it has no plain top-level SELECT."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except SqlglotError:
        return None
    if not isinstance(tree, exp.Select) or tree.args.get("from_", tree.args.get("from")) is None:
        return None
    filters = [tree.args.get(k) for k in ("where", "having", "qualify") if tree.args.get(k) is not None]
    probe = tree.copy()
    for key in ("where", "group", "having", "qualify", "order", "limit", "offset", "distinct"):
        probe.set(key, None)
    probe.set("expressions", [exp.Count(this=exp.Star()).as_("n")])
    return Probe(
        sql=probe.sql(dialect=dialect),
        has_join=bool(tree.args.get("joins")),
        has_filter=bool(filters),
        filters_sql=" ".join(f.sql(dialect=dialect) for f in filters) or None,
    )


def empty_reason(what: str, sql: str, dialect: str, count: Callable[[str], int | None]) -> str:
    """One line for the report: `what` (from `vacuous`) on every engine, and why when the probe can tell.

    `count(sql)` runs a probe on the reference oracle and returns its single count (None when it failed)."""
    base = f"{what} on every engine"
    probe = probe_sql(sql, dialect)
    if probe is None:
        return base
    rows = count(probe.sql)
    if rows is None:
        return base
    if rows == 0 and probe.has_join:
        return f"{base}: the join keys found no matching sample rows (its FROM and JOINs give 0 rows)"
    if rows == 0:
        return f"{base}: the table it reads has no rows in the sample"
    if probe.has_filter:
        return f"{base}: its filters ({probe.filters_sql}) match none of the {rows:,} sample rows its FROM gives"
    return base
