"""The catalog the fuzzer writes queries against: the sample gold layer's schema, read from the Parquet the sample
generator writes (so it follows toolkit/gold/sample.py), its join keys, and the fuzzer's value kinds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog, GoldTable
    from toolkit.types import LogicalType

# The fuzzer's value kinds: what a typed production asks for.
KINDS = ("int", "dec", "float", "str", "date", "ts", "bool")


def kind_of(logical: "LogicalType") -> str | None:
    """The fuzzer kind of a gold column type (None: not generated, e.g. lists and binaries)."""
    kind = logical.kind
    if kind.startswith(("int", "uint")):
        return "int"
    if kind == "decimal":
        return "dec"
    if kind.startswith("float"):
        return "float"
    return {"string": "str", "date": "date", "timestamp": "ts", "timestamptz": "ts", "bool": "bool"}.get(kind)


@dataclass(frozen=True)
class JoinKey:
    """child.column -> parent.column, the parent's key (its first column, unique in the generated data)."""

    child: str
    parent: str
    column: str


def key_column(table: "GoldTable") -> str:
    """A table's key: its first column (sale_id, customer_id, region_id, payment_method, Order_ID)."""
    return table.columns[0].name


def join_keys(catalog: "GoldCatalog") -> tuple[JoinKey, ...]:
    """Every child -> parent edge: a child column named like another table's key (fact_sales.customer_id ->
    dim_customer, dim_customer.region_id -> dim_region)."""
    keys = []
    for parent in catalog.tables:
        key = key_column(parent).lower()
        for child in catalog.tables:
            if child is parent:
                continue
            column = next((c for c in child.columns if c.name.lower() == key), None)
            if column is not None and kind_of(column.type) == kind_of(parent.columns[0].type):
                keys.append(JoinKey(child.name, parent.name, column.name))
    return tuple(keys)


def gold_catalog() -> "GoldCatalog":
    """The sample gold layer's schema (a tiny sample written to a temporary folder and read back)."""
    import tempfile
    from pathlib import Path

    from toolkit.gold.model import GoldCatalog
    from toolkit.gold.sample import TABLES, write_sample
    from toolkit.gold.schema import read_table

    with tempfile.TemporaryDirectory(prefix="fedkit-fuzz-") as folder:
        write_sample(Path(folder), orders=3, seed=0)
        return GoldCatalog(tuple(read_table(str(Path(folder) / name), name) for name in TABLES))
