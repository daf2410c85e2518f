"""Key-consistent sampling: a small copy of a star schema on which joins still mean something.

Generic over any set of tables (no table or column name is assumed):
- the **fact** is the table with the most rows;
- a **foreign key** child.c -> parent.c is a column name the two tables share (case-insensitive, integer, string or
  date columns), unique in the parent, whose non-NULL child values are (almost) all found in the parent
  (`MIN_COVERAGE`): that is how `fact_sales.customer_id -> dim_customer` and `dim_customer.region_id ->
  dim_region` are found, and how an unrelated table sharing a column name by chance is not;
- the fact's **group** column (an order id) is a non-unique fact column that is no foreign key, preferring names
  containing "order", then names ending in `_id`; without one, fact rows are sampled one by one.

`sample_tables` keeps a seeded, deterministic set of groups (all their fact lines) up to `sample_rows` fact rows,
then exactly the parent rows those rows reference, transitively (a dimension referenced by another dimension keeps
what the kept rows of both reference). Tables not reachable from the fact keep a seeded sample of `sample_rows`
rows. Pure: Arrow tables in, Arrow tables out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    import pyarrow as pa

MIN_COVERAGE = 0.95
_KEY_TYPES = ("integer", "string", "date")


@dataclass(frozen=True)
class ForeignKey:
    child: str
    child_column: str
    parent: str
    parent_column: str

    def __str__(self) -> str:
        return f"{self.child}.{self.child_column} -> {self.parent}.{self.parent_column}"


@dataclass(frozen=True)
class StarSchema:
    fact: str | None
    group_column: str | None
    foreign_keys: tuple[ForeignKey, ...] = ()


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


def _kind(data_type: "pa.DataType") -> str | None:
    import pyarrow.types as t

    if t.is_dictionary(data_type):
        return _kind(data_type.value_type)
    if t.is_integer(data_type):
        return "integer"
    if t.is_string(data_type) or t.is_large_string(data_type):
        return "string"
    if t.is_date(data_type):
        return "date"
    return None


def _values(table: "pa.Table", column: str) -> "pa.Array":
    """Distinct non-NULL values of a column (dictionary-decoded)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = table.column(column)
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    return pc.unique(pc.drop_null(values))


def _is_unique(table: "pa.Table", column: str) -> bool:
    non_null = table.num_rows - table.column(column).null_count
    return non_null > 0 and len(_values(table, column)) == non_null


def find_foreign_keys(tables: Mapping[str, "pa.Table"]) -> list[ForeignKey]:
    """Every child.c -> parent.c edge (see the module docstring)."""
    import pyarrow.compute as pc

    columns = {name: {f.name.lower(): f for f in table.schema} for name, table in tables.items()}
    unique_cache: dict[tuple[str, str], bool] = {}
    edges: list[ForeignKey] = []
    for child in sorted(tables):
        for parent in sorted(tables):
            if child == parent:
                continue
            for lowered, child_field in columns[child].items():
                parent_field = columns[parent].get(lowered)
                if parent_field is None:
                    continue
                kind = _kind(child_field.type)
                if kind is None or kind != _kind(parent_field.type):
                    continue
                key = (parent, parent_field.name)
                if key not in unique_cache:
                    unique_cache[key] = _is_unique(tables[parent], parent_field.name)
                if not unique_cache[key]:
                    continue
                child_values = _values(tables[child], child_field.name)
                if len(child_values) == 0:
                    continue
                parent_values = _values(tables[parent], parent_field.name).cast(child_values.type)
                found = pc.sum(pc.is_in(child_values, value_set=parent_values)).as_py() or 0
                if found / len(child_values) >= MIN_COVERAGE:
                    edges.append(ForeignKey(child, child_field.name, parent, parent_field.name))
    return edges


def find_star(tables: Mapping[str, "pa.Table"]) -> StarSchema:
    """The fact (most rows), its foreign keys (transitively, to dimensions of dimensions) and its group column."""
    if not tables:
        return StarSchema(None, None)
    fact = max(sorted(tables), key=lambda name: tables[name].num_rows)
    edges = find_foreign_keys(tables)
    fk_columns = {e.child_column.lower() for e in edges if e.child == fact}
    candidates = []
    for field_ in tables[fact].schema:
        if field_.name.lower() in fk_columns or _kind(field_.type) is None:
            continue
        column = tables[fact].column(field_.name)
        if column.null_count == tables[fact].num_rows or _is_unique(tables[fact], field_.name):
            continue
        lowered = field_.name.lower()
        rank = 0 if "order" in lowered and lowered.endswith("id") else 1 if lowered.endswith("_id") else None
        if rank is not None:
            candidates.append((rank, field_.name))
    group = min(candidates)[1] if candidates else None
    return StarSchema(fact, group, tuple(edges))


def _reachable_order(star: StarSchema) -> list[str]:
    """Tables reachable from the fact, each after every reachable table that references it (cycles: BFS order)."""
    assert star.fact is not None
    children_of: dict[str, set[str]] = {}
    reach = [star.fact]
    seen = {star.fact}
    for table in reach:  # breadth first
        for edge in star.foreign_keys:
            if edge.child == table and edge.parent not in seen:
                seen.add(edge.parent)
                reach.append(edge.parent)
    for edge in star.foreign_keys:
        if edge.child in seen and edge.parent in seen and edge.child != edge.parent:
            children_of.setdefault(edge.parent, set()).add(edge.child)
    ordered = [star.fact]
    done = {star.fact}
    pending = [t for t in reach if t != star.fact]
    while pending:
        ready = [t for t in pending if children_of.get(t, set()) <= done]
        chosen = ready[0] if ready else pending[0]  # a cycle: take the nearest table first
        ordered.append(chosen)
        done.add(chosen)
        pending.remove(chosen)
    return ordered


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
    tables: Mapping[str, "pa.Table"], sample_rows: int | None, seed: int = 42, star: StarSchema | None = None
) -> Sample:
    """A key-consistent sample of at most `sample_rows` fact rows (None or 0: keep everything)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from toolkit.gold.arrow_plain import plain_table

    tables = {name: plain_table(table) for name, table in tables.items()}  # compute kernels lack view types
    totals = {name: table.num_rows for name, table in tables.items()}
    if not tables:
        return Sample({}, StarSchema(None, None), False, {}, seed)
    largest = max(totals.values())
    if not sample_rows or largest <= sample_rows:
        return Sample(dict(tables), star or StarSchema(None, None), False,
                      {name: (rows, rows) for name, rows in totals.items()}, seed)
    star = star or find_star(tables)
    assert star.fact is not None
    kept: dict[str, pa.Table] = {star.fact: _sample_fact(tables[star.fact], star.group_column, sample_rows, seed)}
    for table in _reachable_order(star)[1:]:
        masks = []
        for edge in star.foreign_keys:
            if edge.parent != table or edge.child not in kept:
                continue
            referenced = _values(kept[edge.child], edge.child_column)
            parent_column = tables[table].column(edge.parent_column)
            masks.append(pc.is_in(parent_column, value_set=referenced.cast(parent_column.type)))
        mask = masks[0]
        for other in masks[1:]:
            mask = pc.or_(mask, other)
        kept[table] = tables[table].filter(mask)
    rng = np.random.default_rng(seed + 1)
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
