"""DuckDB: local, in process; the default KPI source dialect and its parity oracle."""

from __future__ import annotations

from toolkit.engines.traits import EngineTraits


class DuckDBTraits(EngineTraits):
    name = "duckdb"
    title = "DuckDB"
    local = True
    oracle = "toolkit.sql.parity.oracle_duckdb:DuckDBOracle"
