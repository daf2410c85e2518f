"""Key-consistent sampling: a small copy of a schema on which joins still mean something.

Generic over any set of tables (no table or column name is assumed):
- the **fact** is the table with the most rows;
- the **keys** come from `toolkit.sql.parity.sample_keys`: the KPI suite's join conditions (`query`), the config's
  `gold.relationships` (`config`), and value containment between columns whose names match (`containment`); a
  many-to-one key is a **foreign key** child.c -> parent.p, a join between two non-unique columns a **link**;
- the fact's **group** column keeps whole orders: a non-unique fact column with "order" in a name ending in id/key
  (`order_id`, `l_orderkey`, a foreign key or not), else one ending in `_id`/`key` that is no foreign key; without
  one, fact rows are sampled one by one.

`sample_tables` keeps a seeded, deterministic set of groups (all their fact lines) up to `sample_rows` fact rows, then
exactly the parent rows the kept rows reference, transitively (lineitem -> orders -> customer -> nation -> region; a
parent referenced by several kept tables keeps what any of them references). A table not reached that way but joined
to a kept table (a many-to-many link, or a child of a kept parent: TPC-H's partsupp) keeps the rows whose keys are
among the kept ones of every such join (of any one when no row matches them all), at most `sample_rows` of them,
and then its own parents are kept the same way. Tables joined to nothing keep a seeded sample of `sample_rows`
rows. Pure: Arrow tables in, Arrow tables out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping

from toolkit.sql.parity.sample_keys import ForeignKey, KeyHint, Link, distinct, find_keys, kind

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ForeignKey", "KeyHint", "Link", "Sample", "StarSchema", "find_star", "sample_tables"]


@dataclass(frozen=True)
class StarSchema:
    fact: str | None
    group_column: str | None
    foreign_keys: tuple[ForeignKey, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Sample:
    tables: dict[str, "pa.Table"]
    schema: StarSchema
    sampled: bool  # False when every table was kept whole
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (kept, total)
    seed: int = 42

    def describe(self) -> str:
        """One line for reports: what was kept of what."""
        if not self.sampled:
            return "all rows of every table (no sampling needed)"
        parts = [f"{name} {kept}/{total}" for name, (kept, total) in sorted(self.rows.items())]
        how = f"by {self.schema.group_column}" if self.schema.group_column else "row by row"
        return f"fact {self.schema.fact} sampled {how} (seed {self.seed}); rows kept: " + ", ".join(parts)

    def keys(self) -> list[dict[str, str]]:
        """The join keys the sample kept consistent, each with where it came from (query / config / containment)."""
        if not self.sampled:
            return []
        return [key.to_json() for key in (*self.schema.foreign_keys, *self.schema.links)]


def _is_unique(table: "pa.Table", column: str) -> bool:
    non_null = table.num_rows - table.column(column).null_count
    return non_null > 0 and len(distinct(table, column)) == non_null


def find_star(tables: Mapping[str, "pa.Table"], hints: Iterable[KeyHint] = ()) -> StarSchema:
    """The fact (most rows), the keys (foreign keys and links) and the fact's group column."""
    if not tables:
        return StarSchema(None, None)
    fact = max(sorted(tables), key=lambda name: tables[name].num_rows)
    edges, links = find_keys(tables, hints)
    fk_columns = {e.child_column.lower() for e in edges if e.child == fact}
    candidates = []
    for field_ in tables[fact].schema:
        if kind(field_.type) is None:
            continue
        column = tables[fact].column(field_.name)
        if column.null_count == tables[fact].num_rows or _is_unique(tables[fact], field_.name):
            continue
        lowered = field_.name.lower()
        if "order" in lowered and lowered.endswith(("id", "key")):
            candidates.append((0, field_.name))
        elif lowered.endswith(("_id", "key")) and lowered not in fk_columns:
            candidates.append((1, field_.name))
    group = min(candidates)[1] if candidates else None
    return StarSchema(fact, group, tuple(edges), tuple(links))


def _sample_fact(table: "pa.Table", group: str | None, sample_rows: int, seed: int) -> "pa.Table":
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    if group is None:
        keep = np.sort(rng.permutation(table.num_rows)[:sample_rows])
        return table.take(pa.array(keep, type=pa.int64()))
    column = table.column(group)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    counts = pc.value_counts(column).flatten()
    values, sizes = counts[0], counts[1].to_numpy(zero_copy_only=False)
    order = pc.sort_indices(values).to_numpy(zero_copy_only=False)
    values, sizes = values.take(pa.array(order)), sizes[order]  # a canonical order before shuffling
    shuffled = rng.permutation(len(values))
    total = np.cumsum(sizes[shuffled])
    count = max(1, int(np.searchsorted(total, sample_rows, side="right")))
    chosen = values.take(pa.array(shuffled[:count]))
    mask = pc.is_in(column, value_set=chosen.drop_null())
    if chosen.null_count:
        mask = pc.or_(mask, pc.is_null(column))
    return table.filter(mask)


def sample_tables(
    tables: Mapping[str, "pa.Table"], sample_rows: int | None, seed: int = 42, star: StarSchema | None = None,
    hints: Iterable[KeyHint] = (),
) -> Sample:
    """A key-consistent sample of at most `sample_rows` fact rows (None or 0: keep everything); `hints` are the join
    keys stated by the queries and the config (the data's own are found by containment)."""
    import numpy as np
    import pyarrow as pa

    from toolkit.gold.arrow_plain import plain_table

    tables = {name: plain_table(table) for name, table in tables.items()}  # compute kernels lack view types
    totals = {name: table.num_rows for name, table in tables.items()}
    if not tables:
        return Sample({}, StarSchema(None, None), False, {}, seed)
    largest = max(totals.values())
    if not sample_rows or largest <= sample_rows:
        return Sample(dict(tables), star or StarSchema(None, None), False,
                      {name: (rows, rows) for name, rows in totals.items()}, seed)
    star = star or find_star(tables, hints)
    assert star.fact is not None
    kept: dict[str, pa.Table] = {star.fact: _sample_fact(tables[star.fact], star.group_column, sample_rows, seed)}
    fixed = {star.fact}  # tables whose rows were chosen by a rule, not by what references them
    rng = np.random.default_rng(seed + 1)
    while True:
        _keep_parents(tables, kept, fixed, star.foreign_keys)
        joined = _joined_rows(tables, kept, star)
        if not joined:
            break
        for name, rows in sorted(joined.items()):
            if rows.num_rows > sample_rows:
                rows = rows.take(pa.array(np.sort(rng.permutation(rows.num_rows)[:sample_rows]), type=pa.int64()))
            kept[name] = rows
            fixed.add(name)
    for name in sorted(tables):
        if name in kept:
            continue
        table = tables[name]
        if table.num_rows <= sample_rows:
            kept[name] = table
        else:
            keep = np.sort(rng.permutation(table.num_rows)[:sample_rows])
            kept[name] = table.take(pa.array(keep, type=pa.int64()))
    ordered = {name: kept[name] for name in tables}
    return Sample(ordered, star, True, {name: (ordered[name].num_rows, totals[name]) for name in tables}, seed)


def _member(table: "pa.Table", column: str, other: "pa.Table", other_column: str) -> "pa.ChunkedArray":
    """Which rows of `table` have a `column` value among the values of `other.other_column` (NULL: no)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = table.column(column)
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    referenced = distinct(other, other_column)
    if pa.types.is_integer(values.type):  # int32 keys against int64 ones: compare as int64 (no overflow)
        values, referenced = values.cast(pa.int64(), safe=False), referenced.cast(pa.int64(), safe=False)
    return pc.fill_null(pc.is_in(values, value_set=referenced.cast(values.type)), False)


def _any(masks: list) -> "pa.ChunkedArray":
    import pyarrow.compute as pc

    mask = masks[0]
    for other in masks[1:]:
        mask = pc.or_(mask, other)
    return mask


def _keep_parents(tables: Mapping[str, "pa.Table"], kept: dict[str, "pa.Table"], fixed: set[str],
                  edges: Iterable[ForeignKey]) -> None:
    """Every table referenced (transitively) from the fixed ones keeps exactly the rows the kept tables reference.

    Rounds until nothing grows: a parent referenced by two kept tables (nation by customer and supplier) keeps what
    either references, and what it references in turn (region) follows."""
    edges = [e for e in edges if e.child != e.parent]
    reach = set(fixed)
    while True:
        more = {e.parent for e in edges if e.child in reach and e.parent not in reach}
        if not more:
            break
        reach |= more
    parents = sorted(reach - fixed)
    for _ in range(len(tables) + 1):
        grew = False
        for parent in parents:
            masks = [_member(tables[parent], e.parent_column, kept[e.child], e.child_column)
                     for e in edges if e.parent == parent and e.child in kept]
            if not masks:
                continue
            rows = tables[parent].filter(_any(masks))
            if parent not in kept or rows.num_rows != kept[parent].num_rows:
                kept[parent], grew = rows, True
        if not grew:
            return


def _joined_rows(tables: Mapping[str, "pa.Table"], kept: Mapping[str, "pa.Table"], star: StarSchema) -> dict:
    """Tables not kept yet but joined to a kept one (as a child of a kept parent, or by a link): their rows whose
    keys are among the kept ones of every such join, or of any one of them when no row matches all."""
    import pyarrow.compute as pc

    conditions: dict[str, list] = {}
    for edge in star.foreign_keys:
        if edge.child not in kept and edge.parent in kept and edge.child != edge.parent:
            conditions.setdefault(edge.child, []).append(
                _member(tables[edge.child], edge.child_column, kept[edge.parent], edge.parent_column))
    for link in star.links:
        for table, column, other, other_column in ((link.left, link.left_column, link.right, link.right_column),
                                                   (link.right, link.right_column, link.left, link.left_column)):
            if table not in kept and other in kept:
                conditions.setdefault(table, []).append(_member(tables[table], column, kept[other], other_column))
    joined = {}
    for table, masks in conditions.items():
        every = masks[0]
        for other in masks[1:]:
            every = pc.and_(every, other)
        rows = tables[table].filter(every)
        joined[table] = rows if rows.num_rows else tables[table].filter(_any(masks))
    return joined
