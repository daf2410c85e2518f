"""The one small interface every engine implements (DESIGN §3). Capabilities are attributes the CLI reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pyarrow as pa


@runtime_checkable
class Engine(Protocol):
    name: ClassVar[str]  # "bigquery" | "snowflake" | "duckdb"
    dialect: ClassVar[str]  # sqlglot dialect name
    mode: str  # "cloud" | "sandbox" | "local"
    can_run: ClassVar[bool]
    can_dry_run: ClassVar[bool]
    can_register: ClassVar[bool]

    def run(self, sql: str) -> "pa.Table":
        """Execute a query written in this engine's dialect and return its rows."""
        ...

    def dry_run(self, sql: str) -> int | None:
        """Validate without executing; bytes that would be processed when the engine says."""
        ...

    def close(self) -> None: ...
