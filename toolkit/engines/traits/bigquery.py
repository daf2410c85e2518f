"""BigQuery (Omni): what holds in the cloud and in the sandbox (ZetaSQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar

from toolkit.engines.traits import EngineTraits, compact_type

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.planning.pipeline import Context
    from toolkit.planning.where import CloudTarget
    from toolkit.sql.validate.files import FileValidator
    from toolkit.sql.validate.model import Problem


class BigQueryTraits(EngineTraits):
    name = "bigquery"
    title = "BigQuery"
    config_section = "bigquery"
    registers_tables = True
    oracle = "toolkit.sql.parity.oracle_zetasql:ZetaSQLOracle"
    table_resource = "bigquery_table"
    # fedkit's CREATE labels its tables `managed-by: fedkit` (toolkit.registration.orphans).
    ownership_label = ("managed-by", "fedkit")
    # tables.get may report the legacy names (cloud.google.com/bigquery/docs/reference/rest/v2/tables, TableFieldSchema
    # .type: "INTEGER (or INT64)", "FLOAT (or FLOAT64)", "BOOLEAN (or BOOL)", "RECORD (or STRUCT)").
    type_aliases: ClassVar[dict[str, str]] = {
        "INTEGER": "INT64", "FLOAT": "FLOAT64", "BOOLEAN": "BOOL", "RECORD": "STRUCT",
    }

    def column_problem(self, table: str, column: Any) -> str | None:
        from toolkit.gold.names import bigquery_column_problem

        return bigquery_column_problem(table, column)

    def normalize_type(self, text: str) -> str:
        """Element types of an ARRAY are compared; STRUCT field lists are not; parameterized NUMERIC/BIGNUMERIC,
        STRING and BYTES lose their parameters (a Parquet decimal may come back as plain NUMERIC)."""
        compact = compact_type(text)
        if compact.startswith("ARRAY<") and compact.endswith(">"):
            return "ARRAY<" + self.normalize_type(compact[6:-1]) + ">"
        if compact.startswith(("STRUCT", "RECORD")):
            return "STRUCT"  # nested field lists are not compared
        base, _, rest = compact.partition("(")
        base = self.type_aliases.get(base, base)
        if base in ("NUMERIC", "BIGNUMERIC", "STRING", "BYTES"):
            return base
        return base + ("(" + rest if rest else "")

    def registration_ddl(self, loaded: "LoadedConfig", catalog: "GoldCatalog") -> list[tuple[str, str]]:
        from toolkit.registration import statements
        from toolkit.registration.desired import desired_bigquery

        return statements.bigquery_all(desired_bigquery(loaded, catalog))

    def describe_target(self, ctx: "Context", mode: str) -> "CloudTarget":
        from toolkit.planning.where import bigquery_target

        return bigquery_target(ctx, mode)

    parses_natively = True
    ddl_templates: ClassVar[dict[str, str]] = {"dataset": "dataset", "table": "external_table"}

    def table_name(self, table: str, config: "Config") -> str | None:
        from toolkit.sql.refs import _bigquery_name

        return _bigquery_name(table, config)

    def offline_checker(self, validator: "FileValidator") -> Any:
        from toolkit.sql.validate.checks_bigquery import ZetaSQLChecker

        return ZetaSQLChecker(validator)

    def native_parse(self, validator: "FileValidator", source: str) -> "Problem | None":
        from toolkit.sql.validate.checks_bigquery import native_parse

        return native_parse(validator, source)

    def source_problem(self, validator: "FileValidator", raw: str,
                       source: str) -> tuple[str, int | None, int | None] | None:
        from toolkit.sql.validate.checks_bigquery import source_problem

        return source_problem(validator, raw, source)

    def unreadable_tables(self, catalog: "GoldCatalog") -> dict[str, str]:
        from toolkit.sql.validate.checks_bigquery import unreadable_tables

        return unreadable_tables(catalog)

    def table_object(self, loaded: "LoadedConfig", table: str) -> str:
        dataset = loaded.config.bigquery.dataset if loaded.config.bigquery else ""
        return f"table/{dataset}.{table}"

    def ddl_problem(self, sql: str, loaded: "LoadedConfig | None") -> "Problem | None":
        from toolkit.sql.validate.checks_bigquery import ddl_problem

        return ddl_problem(sql, loaded)

    def online_checker(self, loaded: "LoadedConfig") -> tuple[Any | None, str | None]:
        from toolkit.sql.validate.online import bigquery_online

        return bigquery_online(loaded)

    def oracle_warmup(self, note: Callable[[str], None]) -> None:
        """The ZetaSQL oracle's first use may compile ZetaSQL's WASM module (cached afterwards): say so, with roughly
        how long, before the minutes of silence."""
        import time

        from toolkit.sql.zetasql_service import ZetaSQL
        from toolkit.sql.zetasql_wasm import cache_dir, compile_needed

        if ZetaSQL._instance is not None:
            return
        estimate = compile_needed()
        if estimate is not None:
            note(f"compiling ZetaSQL's WASM module once (roughly {estimate:.0f} s here; cached afterwards in "
                 f"{cache_dir()})")
        started = time.perf_counter()
        ZetaSQL.get()
        if estimate is not None:
            note(f"ZetaSQL compiled in {time.perf_counter() - started:.1f} s")
