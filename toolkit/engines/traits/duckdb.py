"""DuckDB: local, in process; the default KPI source dialect and its parity oracle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.engines.traits import EngineTraits

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.sql.validate.files import FileValidator
    from toolkit.sql.validate.model import Problem


class DuckDBTraits(EngineTraits):
    name = "duckdb"
    title = "DuckDB"
    local = True
    oracle = "toolkit.sql.parity.oracle_duckdb:DuckDBOracle"
    parses_natively = True

    # its local view of the table: the bare name
    def table_name(self, table: str, config: "Config") -> str | None:
        from toolkit.sql.refs import _local_name

        return _local_name(table, config)

    def offline_checker(self, validator: "FileValidator") -> Any:
        from toolkit.sql.validate.checks_duckdb import offline_checker

        return offline_checker(validator)

    def native_parse(self, validator: "FileValidator", source: str) -> "Problem | None":
        from toolkit.sql.validate.checks_duckdb import native_parse

        return native_parse(validator, source)
