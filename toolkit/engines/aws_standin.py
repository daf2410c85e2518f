"""Athena and Redshift on the sandbox: the compiled SQL runs on DuckDB over the same gold Parquet, translated back by
sqlglot with the engines' documented behaviours restated (`toolkit.sql.parity.aws_standin`).

NOT the real engines and NOT independent oracles of them: every result carries a note saying so (`last_note`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig


class _AwsSandboxEngine:
    name: ClassVar[str]
    dialect: ClassVar[str]
    title: ClassVar[str]
    can_run: ClassVar[bool] = True
    can_dry_run: ClassVar[bool] = True
    can_register: ClassVar[bool] = False

    def __init__(self, loaded: "LoadedConfig"):
        from toolkit.engines.duckdb import DuckDBEngine
        from toolkit.sql.refs import table_names_for

        self.mode = "sandbox"
        self._duckdb = DuckDBEngine(loaded)
        self.catalog = self._duckdb.catalog
        self._names = table_names_for(self.name, loaded, self.catalog.names) if self.catalog is not None else {}
        self.last_note = (f"{self.title} stand-in: DuckDB over the same Parquet ran the {self.title} SQL translated "
                          f"back by sqlglot - NOT an independent oracle of {self.title}")

    def _translate(self, sql: str) -> str:
        from toolkit.errors import CheckFailed
        from toolkit.engines.aws_translate import to_duckdb
        from toolkit.sql.parity.oracle import OracleError

        try:
            return to_duckdb(sql, self.dialect, self.catalog, self._names)
        except OracleError as exc:
            raise CheckFailed(exc.message) from None

    def run(self, sql: str) -> "pa.Table":
        return self._duckdb.run(self._translate(sql))

    def dry_run(self, sql: str) -> int | None:
        return self._duckdb.dry_run(self._translate(sql))

    def interrupt(self) -> None:
        self._duckdb.interrupt()

    def close(self) -> None:
        self._duckdb.close()


class AthenaSandboxEngine(_AwsSandboxEngine):
    name: ClassVar[str] = "athena"
    dialect: ClassVar[str] = "athena"
    title: ClassVar[str] = "Athena"


class RedshiftSandboxEngine(_AwsSandboxEngine):
    name: ClassVar[str] = "redshift"
    dialect: ClassVar[str] = "redshift"
    title: ClassVar[str] = "Redshift"
