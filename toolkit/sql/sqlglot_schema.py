"""The gold catalog as a sqlglot schema, so the optimizer can qualify columns and annotate types."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot.schema import MappingSchema

    from toolkit.gold.model import GoldCatalog
    from toolkit.types import LogicalType

# sqlglot-readable DuckDB spelling per logical kind (types the catalog cannot express become UNKNOWN).
_DUCKDB_TYPES = {
    "bool": "BOOLEAN", "int8": "TINYINT", "int16": "SMALLINT", "int32": "INT", "int64": "BIGINT",
    "uint8": "UTINYINT", "uint16": "USMALLINT", "uint32": "UINT", "uint64": "UBIGINT",
    "float32": "FLOAT", "float64": "DOUBLE", "string": "VARCHAR", "binary": "BLOB", "date": "DATE",
    "time": "TIME", "timestamp": "TIMESTAMP", "timestamptz": "TIMESTAMPTZ",
}


def sqlglot_type(logical: "LogicalType") -> str:
    """The type of a gold column as sqlglot reads it (in the DuckDB dialect, whatever the source dialect)."""
    if logical.kind == "decimal":
        return f"DECIMAL({min(logical.precision or 38, 38)}, {logical.scale or 0})"
    return _DUCKDB_TYPES.get(logical.kind, "UNKNOWN")


def catalog_mapping(catalog: "GoldCatalog") -> dict[str, dict[str, str]]:
    """{table: {column: type}} in catalog order."""
    return {table.name: {col.name: sqlglot_type(col.type) for col in table.columns} for table in catalog.tables}


def catalog_schema(catalog: "GoldCatalog", dialect: str = "duckdb") -> "MappingSchema":
    """A sqlglot MappingSchema whose names normalise like `dialect`'s (types parsed as DuckDB spells them).

    Inside `toolkit.sql.compile.reusing()` (`validate` compiles each file for three engines against one catalog)
    it is built once per (catalog, dialect): parsing each column's type text again cost ~7 ms a compile. Callers only
    read the schema (sqlglot's qualifier and type annotation fill its lookup caches, the same for every query)."""
    if not _KEEP:
        return _build_schema(catalog, dialect)
    key = (catalog, dialect)
    schema = _SCHEMAS.get(key)
    if schema is None:
        if len(_SCHEMAS) >= _SCHEMAS_KEPT:
            _SCHEMAS.pop(next(iter(_SCHEMAS)), None)
        schema = _SCHEMAS[key] = _build_schema(catalog, dialect)
    return schema


_SCHEMAS: dict[tuple["GoldCatalog", str], "MappingSchema"] = {}
_SCHEMAS_KEPT = 8
_KEEP = False


def keep(on: bool) -> None:
    """Start (True) or end (False, forgetting every schema) reuse; `toolkit.sql.compile.reusing()` calls it."""
    global _KEEP
    _KEEP = on
    if not on:
        _SCHEMAS.clear()


def _build_schema(catalog: "GoldCatalog", dialect: str) -> "MappingSchema":
    from sqlglot import exp
    from sqlglot.schema import MappingSchema

    mapping = {
        table: {column: exp.DataType.build(type_text, dialect="duckdb") for column, type_text in columns.items()}
        for table, columns in catalog_mapping(catalog).items()
    }
    return MappingSchema(mapping, dialect=dialect)
