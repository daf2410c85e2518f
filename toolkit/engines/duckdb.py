"""DuckDB, in process: one view per gold table over the local Parquet (or S3 rows read through pyarrow).

The session time zone is pinned to UTC so `DATE(ts)`, truncation and EXTRACT(HOUR) agree with the other engines.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from toolkit.errors import CheckFailed, UsageError

if TYPE_CHECKING:
    import duckdb as duckdb_module
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.gold.model import Column, GoldCatalog, GoldTable

SESSION_TIME_ZONE = "UTC"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parquet_view_sql(table: "GoldTable") -> str:
    """`CREATE VIEW` reading a local table folder (hive partitions typed as the catalog says) or a single file."""
    location = table.location
    path = Path(location)
    if path.is_file() or location.endswith(".parquet"):
        source = f"read_parquet({_literal(location)})"
    else:
        from toolkit.gold.schema import table_files

        # The catalog's own file list, not a glob: DuckDB's `**/*.parquet` would also read Spark's side files
        # (`_temporary/`, hidden `.part-*`) that the catalog leaves out, and a folder name could act as a pattern.
        files = "[" + ", ".join(_literal(f) for f in table_files(location)) + "]"
        options = ["hive_partitioning = true", "union_by_name = true"]
        partitions = [c for c in table.columns if c.partition]
        if partitions:
            types = ", ".join(f"{_literal(c.name)}: {_literal(c.type.duckdb())}" for c in partitions)
            options.append("hive_types = {" + types + "}")
        source = f"read_parquet({files}, {', '.join(options)})"
    columns = ", ".join(_view_column(c) for c in table.columns) or "*"
    return f"CREATE OR REPLACE VIEW {_quote(table.name)} AS SELECT {columns} FROM {source}"


def _view_column(column: "Column") -> str:
    """An instant the files store without a zone (Parquet INT96) is read as TIMESTAMPTZ, as the catalog says.

    DuckDB reads INT96 as a plain TIMESTAMP of the UTC wall-clock; the session is pinned to UTC, so the cast only
    changes the type (and is a no-op on a column that is already TIMESTAMPTZ).
    """
    if column.type.kind == "timestamptz" and not column.partition:
        return f"CAST({_quote(column.name)} AS TIMESTAMPTZ) AS {_quote(column.name)}"
    return _quote(column.name)


class DuckDBEngine:
    """Runs DuckDB-dialect SQL locally; `DuckDBEngine(loaded)` for the project, `from_arrow(...)` for tests."""

    name: ClassVar[str] = "duckdb"
    dialect: ClassVar[str] = "duckdb"
    can_run: ClassVar[bool] = True
    can_dry_run: ClassVar[bool] = True
    can_register: ClassVar[bool] = False

    def __init__(self, loaded: "LoadedConfig | None" = None, *, catalog: "GoldCatalog | None" = None):
        import duckdb

        self.mode = "local"
        self._con: "duckdb_module.DuckDBPyConnection" = duckdb.connect(":memory:")
        self._con.execute(f"SET TimeZone = {_literal(SESSION_TIME_ZONE)}")
        self._pending: list["GoldTable"] = []
        self.source = "arrow"
        if loaded is not None:
            self.source, catalog = _project_catalog(loaded, catalog)
        if catalog is not None:
            if self.source == "local":
                for table in catalog.tables:
                    self._create_view(table)
            else:
                self._pending = list(catalog.tables)  # S3 rows are read on first use
        self.catalog = catalog

    @classmethod
    def from_arrow(cls, tables: dict[str, "pa.Table"]) -> "DuckDBEngine":
        """An engine whose tables are the given Arrow tables (names as given; resolved case-insensitively)."""
        engine = cls()
        for name, table in tables.items():
            engine.register_arrow(name, table)
        return engine

    def register_arrow(self, name: str, table: "pa.Table") -> None:
        self._con.register(name, table)

    def _create_view(self, table: "GoldTable") -> None:
        try:
            self._con.execute(parquet_view_sql(table))
        except Exception as exc:  # duckdb.Error has many subclasses
            raise CheckFailed(f"duckdb: cannot read gold table {table.name} at {table.location}: "
                              f"{_first_line(exc)}") from None

    def _load_pending(self) -> None:
        if not self._pending:
            return
        from toolkit.gold.data import read_table_data

        pending, self._pending = self._pending, []
        for table in pending:
            self.register_arrow(table.name, read_table_data(table))

    def run(self, sql: str) -> "pa.Table":
        self._load_pending()
        try:
            return self._con.sql(sql).to_arrow_table()
        except Exception as exc:
            raise CheckFailed(f"duckdb: {_first_line(exc)}") from None

    def interrupt(self) -> None:
        """Stop the query running on this connection (called from another thread: parity's time budget)."""
        self._con.interrupt()

    def dry_run(self, sql: str) -> int | None:
        self._load_pending()
        try:
            self._con.execute("EXPLAIN " + sql)
        except Exception as exc:
            raise CheckFailed(f"duckdb: {_first_line(exc)}") from None
        return None

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "DuckDBEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _project_catalog(loaded: "LoadedConfig", catalog: "GoldCatalog | None") -> tuple[str, "GoldCatalog"]:
    """("local", catalog) when gold.local_dir exists, else ("s3", catalog read from the bucket)."""
    from toolkit.gold.schema import read_catalog

    local_dir = loaded.config.gold.local_dir
    if local_dir and loaded.resolve(local_dir).is_dir():
        return "local", catalog or read_catalog(loaded, source="local")
    if catalog is not None and all(t.location.startswith("s3://") for t in catalog.tables):
        return "s3", catalog
    try:
        return "s3", read_catalog(loaded, source="s3")
    except UsageError as exc:
        raise UsageError(f"duckdb: no local gold data ({local_dir or 'gold.local_dir unset'}) and S3 failed: {exc}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
