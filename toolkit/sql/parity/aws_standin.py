"""Parity oracles for Athena and Redshift: DuckDB over the sample tables runs their SQL translated back by sqlglot
(toolkit.engines.aws_translate, with the engines' documented behaviours restated). NOT independent oracles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Mapping

from toolkit.sql.parity.oracle_duckdb import DuckDBOracle

if TYPE_CHECKING:
    import pyarrow as pa


class _AwsStandIn(DuckDBOracle):
    dialect: ClassVar[str]
    independent: ClassVar[bool] = False
    accepted_types: ClassVar[frozenset[tuple[str, str]]] = frozenset()

    def __init__(self, names: Mapping[str, str] | None = None, **options: Any):
        super().__init__(names=None, **options)
        self._qualified = dict(names or {})

    def run(self, sql: str, tables: Mapping[str, "pa.Table"]) -> "pa.Table":
        from toolkit.engines.aws_translate import arrow_catalog, to_duckdb

        return super().run(to_duckdb(sql, self.dialect, arrow_catalog(tables), self._qualified), tables)


class AthenaStandIn(_AwsStandIn):
    engine: ClassVar[str] = "athena"
    dialect: ClassVar[str] = "athena"
    description: ClassVar[str] = (
        "Athena stand-in: DuckDB runs the Athena (Trino) SQL translated back by sqlglot - NOT an independent oracle "
        "of Athena: it proves the Trino text translates and runs, with Trino's integer division, SPLIT_PART, "
        "DATE_TRUNC(DATE) and EXTRACT(DOW) restated from Trino's documentation; every other behaviour is DuckDB's")


class RedshiftStandIn(_AwsStandIn):
    engine: ClassVar[str] = "redshift"
    dialect: ClassVar[str] = "redshift"
    description: ClassVar[str] = (
        "Redshift stand-in: DuckDB runs the Redshift SQL translated back by sqlglot - NOT an independent oracle of "
        "Redshift: it proves the Redshift text translates and runs, with integer division and AVG of integers "
        "restated from Redshift's documentation; every other behaviour is DuckDB's")
