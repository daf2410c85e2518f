"""Which columns join which tables, for the key-consistent sampler (`toolkit.sql.parity.sample`).

Three sources, each key saying where it came from (parity reports print it):
- **query**: the equi-join conditions of the KPI suite (`toolkit.sql.parity.query_keys`): `l_orderkey = o_orderkey`;
- **config**: `gold.relationships` ({from: lineitem.l_orderkey, to: orders.o_orderkey}), checked by `keys.py`;
- **containment**: a column whose non-NULL values are (almost) all (`MIN_COVERAGE`) in another table's unique column
  of the same type family, when the two names share a stem: the same name (`customer_id`), the same name behind a
  short table prefix (`c_nationkey` / `n_nationkey`), or a parent key named `id` in a table named after the column
  (`customer_id` -> `customers.id`); a stem counts only between key names (ending in id, key, sk or code), so free
  text (`l_comment` / `o_comment`) is never scanned. Containment alone is not enough: small integer domains contain
  each other by chance (TPC-H's `l_linenumber`, 1-7, is inside `n_nationkey`, 0-24): a false key ties unrelated rows.
A declared pair (query, config) is directed by the data: the side whose column is unique in its table is the parent;
when both are, the smaller table is; when neither is, the pair is a many-to-many **link**.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    import pyarrow as pa

MIN_COVERAGE = 0.95
CONTAINMENT_PROBE = 10_000  # distinct child values checked at most (a seeded subset beyond): bounded cost
_SUFFIX = re.compile(r"(_?(id|key|sk|code))$")
_PREFIX = re.compile(r"^[a-z]{1,3}_")


@dataclass(frozen=True)
class KeyHint:
    """A stated equality between two columns: `directed` when `table.column` references `other.other_column`."""

    table: str
    column: str
    other: str
    other_column: str
    source: str  # query | config
    directed: bool = False


@dataclass(frozen=True)
class ForeignKey:
    child: str
    child_column: str
    parent: str
    parent_column: str
    source: str = field(default="containment", compare=False)

    def __str__(self) -> str:
        return f"{self.child}.{self.child_column} -> {self.parent}.{self.parent_column}"

    def to_json(self) -> dict[str, str]:
        return {"from": f"{self.child}.{self.child_column}", "to": f"{self.parent}.{self.parent_column}",
                "kind": "many-to-one", "source": self.source}


@dataclass(frozen=True)
class Link:
    """Two non-unique columns joined by a query (many-to-many): the sample keeps rows of one matching the other."""

    left: str
    left_column: str
    right: str
    right_column: str
    source: str = field(default="query", compare=False)

    def __str__(self) -> str:
        return f"{self.left}.{self.left_column} <-> {self.right}.{self.right_column}"

    def to_json(self) -> dict[str, str]:
        return {"from": f"{self.left}.{self.left_column}", "to": f"{self.right}.{self.right_column}",
                "kind": "many-to-many", "source": self.source}


def kind(data_type: "pa.DataType") -> str | None:
    """The type family a key column belongs to (None: not a key type)."""
    import pyarrow.types as t

    if t.is_dictionary(data_type):
        return kind(data_type.value_type)
    if t.is_integer(data_type):
        return "integer"
    if t.is_string(data_type) or t.is_large_string(data_type):
        return "string"
    if t.is_date(data_type):
        return "date"
    return None


def distinct(table: "pa.Table", column: str) -> "pa.Array":
    """Distinct non-NULL values of a column (dictionary-decoded)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = table.column(column)
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    return pc.unique(pc.drop_null(values))


class _Uniques:
    """`unique(table, column)`: every non-NULL value once, at least one (each column computed once)."""

    def __init__(self, tables: Mapping[str, "pa.Table"]):
        self._tables = tables
        self._cache: dict[tuple[str, str], bool] = {}

    def __call__(self, table: str, column: str) -> bool:
        key = (table, column)
        if key not in self._cache:
            data = self._tables[table]
            non_null = data.num_rows - data.column(column).null_count
            self._cache[key] = non_null > 0 and len(distinct(data, column)) == non_null
        return self._cache[key]


def _stems(name: str) -> set[str]:
    lowered = name.lower()
    bare = _SUFFIX.sub("", lowered)
    return {s for s in (bare, _PREFIX.sub("", bare)) if s}


def _table_stems(name: str) -> set[str]:
    lowered = name.lower()
    return {s for s in (lowered, lowered.removesuffix("s"), _PREFIX.sub("", lowered),
                        _PREFIX.sub("", lowered).removesuffix("s")) if s}


def names_match(child_column: str, parent: str, parent_column: str) -> bool:
    """The names say the columns may be the same key (see the module docstring): the same name, or two key names
    (ending in id, key, sk or code) with the same stem; free text such as `l_comment` / `o_comment` is no key."""
    if child_column.lower() == parent_column.lower():
        return True
    if not (_SUFFIX.search(child_column.lower()) and _SUFFIX.search(parent_column.lower())):
        return False
    parent_stems = _stems(parent_column) or _table_stems(parent)
    return bool(_stems(child_column) & parent_stems)


def _covered(tables: Mapping[str, "pa.Table"], child: str, child_column: str, parent: str, parent_column: str) -> bool:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    child_values = distinct(tables[child], child_column)
    if len(child_values) == 0:
        return False
    if len(child_values) > CONTAINMENT_PROBE:
        picked = np.sort(np.random.default_rng(0).permutation(len(child_values))[:CONTAINMENT_PROBE])
        child_values = child_values.take(pa.array(picked))
    parent_values = distinct(tables[parent], parent_column).cast(child_values.type)
    found = pc.sum(pc.is_in(child_values, value_set=parent_values)).as_py() or 0
    return found / len(child_values) >= MIN_COVERAGE


def containment_keys(tables: Mapping[str, "pa.Table"], unique: _Uniques | None = None) -> list[ForeignKey]:
    """Every child.c -> parent.p edge whose names match and whose values are contained (module docstring)."""
    unique = unique or _Uniques(tables)
    edges: list[ForeignKey] = []
    for child in sorted(tables):
        for parent in sorted(tables):
            if child == parent:
                continue
            for child_field in tables[child].schema:
                family = kind(child_field.type)
                if family is None:
                    continue
                for parent_field in tables[parent].schema:
                    if (kind(parent_field.type) != family
                            or not names_match(child_field.name, parent, parent_field.name)
                            or not unique(parent, parent_field.name)):
                        continue
                    if _covered(tables, child, child_field.name, parent, parent_field.name):
                        edges.append(ForeignKey(child, child_field.name, parent, parent_field.name, "containment"))
    return edges


def _lookup(tables: Mapping[str, "pa.Table"], table: str, column: str) -> tuple[str, str] | None:
    """The (table, column) names as the data spells them, matched case-insensitively."""
    name = table if table in tables else next((t for t in tables if t.lower() == table.lower()), None)
    if name is None:
        return None
    found = next((f.name for f in tables[name].schema if f.name.lower() == column.lower()), None)
    return (name, found) if found is not None else None


def declared_keys(tables: Mapping[str, "pa.Table"], hints: Iterable[KeyHint],
                  unique: _Uniques | None = None) -> tuple[list[ForeignKey], list[Link]]:
    """The hints that name two columns of two different tables of one type family, directed by the data."""
    unique = unique or _Uniques(tables)
    edges: list[ForeignKey] = []
    links: list[Link] = []
    for hint in hints:
        one, two = _lookup(tables, hint.table, hint.column), _lookup(tables, hint.other, hint.other_column)
        if one is None or two is None or one[0] == two[0]:
            continue
        family = kind(tables[one[0]].schema.field(one[1]).type)
        if family is None or family != kind(tables[two[0]].schema.field(two[1]).type):
            continue
        one_unique, two_unique = unique(*one), unique(*two)
        if hint.directed and two_unique:
            child, parent = one, two
        elif hint.directed or not (one_unique or two_unique):
            links.append(Link(*one, *two, source=hint.source))
            continue
        elif one_unique and two_unique:  # one to one: the bigger table refers to the smaller
            child, parent = (two, one) if tables[two[0]].num_rows > tables[one[0]].num_rows else (one, two)
        else:
            child, parent = (one, two) if two_unique else (two, one)
        edges.append(ForeignKey(*child, *parent, source=hint.source))
    return edges, links


def find_keys(tables: Mapping[str, "pa.Table"], hints: Iterable[KeyHint] = ()) -> tuple[list[ForeignKey], list[Link]]:
    """Declared keys first (config before query: a stated direction wins), then containment keys they do not cover."""
    unique = _Uniques(tables)
    ordered = sorted(hints, key=lambda h: h.source != "config")
    edges, links = declared_keys(tables, ordered, unique)
    seen: set[frozenset[tuple[str, str]]] = set()
    result: list[ForeignKey] = []
    for edge in [*edges, *containment_keys(tables, unique)]:
        ends = frozenset({(edge.child, edge.child_column.lower()), (edge.parent, edge.parent_column.lower())})
        if ends not in seen:
            seen.add(ends)
            result.append(edge)
    unique_links = []
    for link in links:
        ends = frozenset({(link.left, link.left_column.lower()), (link.right, link.right_column.lower())})
        if ends not in seen:
            seen.add(ends)
            unique_links.append(link)
    return result, unique_links
