"""The DuckDB oracle: the real DuckDB engine (`toolkit.engines.duckdb.DuckDBEngine`, session in UTC) in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Mapping

from toolkit.sql.parity.oracle import OracleError, tables_fingerprint

if TYPE_CHECKING:
    import pyarrow as pa


class DuckDBOracle:
    engine: ClassVar[str] = "duckdb"
    independent: ClassVar[bool] = True
    accepted_types: ClassVar[frozenset[tuple[str, str]]] = frozenset()  # result types are the engine's own
    description: ClassVar[str] = "DuckDB (the real engine, in memory, session time zone UTC)"

    def __init__(self, names: Mapping[str, str] | None = None, **_: Any):
        self._names = dict(names or {})
        self._engine: Any = None
        self._fingerprint: tuple[tuple[str, int], ...] | None = None

    def _load(self, tables: Mapping[str, "pa.Table"]) -> None:
        from toolkit.engines.duckdb import DuckDBEngine

        fingerprint = tables_fingerprint(tables)
        if self._engine is not None and fingerprint == self._fingerprint:
            return
        self.close()
        registered = dict(tables)
        for bare, qualified in self._names.items():
            plain = qualified.strip('"')
            if bare in tables and plain.lower() != bare.lower():
                registered[plain] = tables[bare]
        self._engine = DuckDBEngine.from_arrow(registered)
        self._fingerprint = fingerprint

    def run(self, sql: str, tables: Mapping[str, "pa.Table"]) -> "pa.Table":
        from toolkit.errors import FedkitError

        self._load(tables)
        try:
            return self._engine.run(sql)
        except FedkitError as exc:
            raise OracleError(exc.message.removeprefix("duckdb: ")) from None

    def prepare(self, tables: Mapping[str, "pa.Table"]) -> None:
        self._load(tables)

    def interrupt(self) -> None:
        if self._engine is not None:
            self._engine.interrupt()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None
