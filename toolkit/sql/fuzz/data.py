"""Small NULL-rich tables with the catalog's schema, generated from a seed (same seed -> same tables).

Keys (each table's first column) are unique and never NULL, so ORDER BY key is a total order; a child's key column
takes the parent's keys, a few orphans (LEFT JOIN keeps them) and NULLs. Every other column is NULL about
`NULL_SHARE` of the time, whatever the schema says: the compiler must not rely on declared nullability. Values sit
where engines disagree most: zero and negative numbers, two-decimal money, strings differing only by case or
surrounding spaces, the empty string, a non-ASCII letter, dates across a year end and on every weekday.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from toolkit.sql.fuzz.catalog import join_keys, key_column, kind_of

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.gold.model import GoldCatalog, GoldTable
    from toolkit.types import LogicalType

NULL_SHARE = 0.3
FACT_ROWS = 40
DIM_ROWS = 8
STRINGS = ("web", "Web", "app", " app ", "", "Delivered", "Cancelled", "a_b", "x%y", "Zürich", "phone")
FLOATS = (0.0, 0.05, 0.1, 0.25, 0.5, 1.5, -2.25, 3.0)
FIRST_DAY = dt.date(2023, 11, 20)
DAYS = 120  # into 2024: a year end, every weekday, ISO week 1 of 2024

def _key_values(table: "GoldTable", rows: int) -> list[Any]:
    kind = kind_of(table.columns[0].type)
    if kind == "str":
        return [f"{table.name[:3]}-{i}" for i in range(1, rows + 1)]
    if kind == "date":
        return [FIRST_DAY + dt.timedelta(days=i) for i in range(rows)]
    return list(range(1, rows + 1))

def _value(rng: Any, logical: "LogicalType") -> Any:
    kind = kind_of(logical)
    if kind == "int":
        return int(rng.integers(-3, 40))
    if kind == "dec":
        scale = logical.scale or 0
        digits = min((logical.precision or 18) - scale, 4)
        unscaled = int(rng.integers(-(10 ** (digits + scale)) // 20, 10 ** (digits + scale)))
        return Decimal(unscaled).scaleb(-scale)
    if kind == "float":
        return float(FLOATS[int(rng.integers(len(FLOATS)))])
    if kind == "str":
        return STRINGS[int(rng.integers(len(STRINGS)))]
    if kind == "date":
        return FIRST_DAY + dt.timedelta(days=int(rng.integers(DAYS)))
    if kind == "ts":
        day = dt.datetime.combine(FIRST_DAY, dt.time(), tzinfo=dt.timezone.utc)
        return day + dt.timedelta(days=int(rng.integers(DAYS)), seconds=int(rng.integers(86_400)))
    if kind == "bool":
        return bool(rng.integers(2))
    return None

def fuzz_tables(catalog: "GoldCatalog", seed: int) -> dict[str, "pa.Table"]:
    """One Arrow table per catalog table: FACT_ROWS rows for the largest fan-in table(s), DIM_ROWS otherwise."""
    import numpy as np
    import pyarrow as pa

    from toolkit.sql.zetasql_values import arrow_type  # noqa: F401  (keeps the one type map in view)

    rng = np.random.default_rng(seed)
    keys = join_keys(catalog)
    parents = {k.parent for k in keys}
    key_values = {t.name: _key_values(t, DIM_ROWS if t.name in parents else FACT_ROWS) for t in catalog.tables}
    tables: dict[str, pa.Table] = {}
    for table in catalog.tables:
        rows = len(key_values[table.name])
        references = {k.column.lower(): k.parent for k in keys if k.child == table.name}
        columns: dict[str, list[Any]] = {}
        for index, column in enumerate(table.columns):
            if index == 0:
                columns[column.name] = key_values[table.name]
                continue
            parent = references.get(column.name.lower())
            values = []
            for _ in range(rows):
                draw = rng.random()
                if draw < NULL_SHARE:
                    values.append(None)
                elif parent is not None and draw < 0.9:
                    choices = key_values[parent]
                    values.append(choices[int(rng.integers(len(choices)))])
                elif parent is not None:  # an orphan: no parent row has it
                    values.append(_orphan(key_values[parent]))
                else:
                    values.append(_value(rng, column.type))
            columns[column.name] = values
        tables[table.name] = pa.table({name: pa.array(values, type=_arrow(c.type))
                                       for (name, values), c in zip(columns.items(), table.columns)})
    return tables

def _orphan(keys: list[Any]) -> Any:
    first = keys[0]
    if isinstance(first, str):
        return first + "-orphan"
    if isinstance(first, dt.date):
        return first - dt.timedelta(days=1000)
    return max(keys) + 100

def _arrow(logical: "LogicalType") -> "pa.DataType":
    import pyarrow as pa

    kind = logical.kind
    if kind == "decimal":
        return pa.decimal128(logical.precision or 38, logical.scale or 0)
    simple = {
        "bool": pa.bool_(), "int8": pa.int8(), "int16": pa.int16(), "int32": pa.int32(), "int64": pa.int64(),
        "uint8": pa.uint8(), "uint16": pa.uint16(), "uint32": pa.uint32(), "uint64": pa.uint64(),
        "float32": pa.float32(), "float64": pa.float64(), "string": pa.string(), "date": pa.date32(),
        "timestamp": pa.timestamp("us"), "timestamptz": pa.timestamp("us", tz="UTC"),
    }
    return simple[kind]
