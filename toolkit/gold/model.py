"""Gold tables as plain data: what every planner, compiler and validator reads (no pyarrow needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.gold.names import exact
from toolkit.types import LogicalType, render_column


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType
    nullable: bool = True
    partition: bool = False
    # The Parquet file's own Arrow type (`timestamp[us, tz=UTC]`, `large_string`), for people reading the schema;
    # None for partition columns (their type is inferred from folder names). Not part of equality: engines only
    # see `type`, so two files that differ only by string flavour are the same column.
    arrow_type: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", exact(self.name))  # a Parquet name means its text (toolkit.gold.names)

    def render(self, engine: str, table: str) -> str:
        """This column's type on `engine`; UnsupportedType (one line naming table, column, Arrow type) when none fits."""
        return render_column(self.type, engine, table, self.name, self.arrow_type)

    def to_json(self) -> dict[str, Any]:
        data = {"name": self.name, "type": self.type.to_json(), "nullable": self.nullable, "partition": self.partition}
        if self.arrow_type is not None:
            data["arrow_type"] = self.arrow_type
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Column":
        return cls(
            data["name"],
            LogicalType.from_json(data["type"]),
            data.get("nullable", True),
            data.get("partition", False),
            data.get("arrow_type"),
        )


def is_single_file(location: str) -> bool:
    """A gold table is one Parquet file (this) or a folder of them: registration and S3 notifications must agree."""
    return location.endswith(".parquet")


@dataclass(frozen=True)
class GoldTable:
    """One gold table: a Parquet file or a folder of them, hive `key=value` folders being partition columns."""

    name: str
    location: str  # local path or s3://bucket/prefix/table
    columns: tuple[Column, ...]
    row_count: int | None = 0  # None: not counted (the schema came from a sample of the footers)
    bytes: int = 0
    files: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", exact(self.name))  # a folder name means its text (toolkit.gold.names)

    @property
    def partition_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.partition)

    @property
    def data_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.partition)

    def column(self, name: str) -> Column | None:
        """Case-insensitive lookup, as BigQuery, DuckDB and unquoted Snowflake names resolve."""
        lowered = name.lower()
        return next((c for c in self.columns if c.name.lower() == lowered), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "location": self.location,
            "columns": [c.to_json() for c in self.columns],
            "row_count": self.row_count,
            "bytes": self.bytes,
            "files": self.files,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GoldTable":
        return cls(
            name=data["name"],
            location=data["location"],
            columns=tuple(Column.from_json(c) for c in data["columns"]),
            row_count=data.get("row_count", 0),  # null: not counted
            bytes=data.get("bytes", 0),
            files=data.get("files", 0),
        )


@dataclass(frozen=True)
class GoldCatalog:
    tables: tuple[GoldTable, ...] = field(default_factory=tuple)

    def table(self, name: str) -> GoldTable | None:
        lowered = name.lower()
        return next((t for t in self.tables if t.name.lower() == lowered), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)

    def to_json(self) -> dict[str, Any]:
        return {"tables": [t.to_json() for t in self.tables]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GoldCatalog":
        return cls(tuple(GoldTable.from_json(t) for t in data.get("tables", [])))
