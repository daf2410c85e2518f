"""Snowflake: what holds in the cloud and in the sandbox (fakesnow)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.engines.traits import EngineTraits, compact_type

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.planning.pipeline import Context
    from toolkit.planning.where import CloudTarget
    from toolkit.sql.validate.files import FileValidator
    from toolkit.sql.validate.model import Problem


class SnowflakeTraits(EngineTraits):
    name = "snowflake"
    title = "Snowflake"
    config_section = "snowflake"
    registers_tables = True
    oracle = "toolkit.sql.parity.oracle_fakesnow:FakesnowOracle"
    table_resource = "snowflake_external_table"
    # sqlglot's qualifier and fakesnow's transforms are Python, and importing fakesnow costs ~0.5 s of CPU
    validates_in_worker = True
    worker_preload = ("fakesnow.instance",)
    # Every external table has a VALUE column, the row as a VARIANT (docs.snowflake.com "CREATE EXTERNAL TABLE"), and
    # the METADATA$FILENAME / METADATA$FILE_ROW_NUMBER columns (docs.snowflake.com/en/user-guide/querying-metadata).
    pseudo_columns = frozenset({"VALUE", "METADATA$FILENAME", "METADATA$FILE_ROW_NUMBER"})
    # docs.snowflake.com "Data types": synonyms of VARCHAR, FLOAT, NUMBER, TIMESTAMP_NTZ and BINARY.
    type_aliases: ClassVar[dict[str, str]] = {
        "TEXT": "VARCHAR", "STRING": "VARCHAR", "CHAR": "VARCHAR", "DOUBLE": "FLOAT", "REAL": "FLOAT",
        "FLOAT8": "FLOAT", "DECIMAL": "NUMBER", "NUMERIC": "NUMBER", "INT": "NUMBER(38,0)", "INTEGER": "NUMBER(38,0)",
        "BIGINT": "NUMBER(38,0)", "TIMESTAMP": "TIMESTAMP_NTZ", "DATETIME": "TIMESTAMP_NTZ", "VARBINARY": "BINARY",
    }

    def stored_name(self, name: str) -> str:
        """Snowflake stores an unquoted identifier upper-cased (docs.snowflake.com "Identifier requirements")."""
        from toolkit.registration.desired import sf_resolved

        return sf_resolved(name)

    def normalize_type(self, text: str) -> str:
        """VARCHAR lengths and BINARY sizes are dropped; NUMBER without precision is NUMBER(38,0)."""
        base, _, rest = compact_type(text).partition("(")
        base = self.type_aliases.get(base, base)
        if base.startswith("NUMBER(") or base in ("VARCHAR", "BINARY"):
            return base
        if base == "NUMBER" and not rest:
            return "NUMBER(38,0)"
        return base + ("(" + rest if rest else "")

    def registration_ddl(self, loaded: "LoadedConfig", catalog: "GoldCatalog") -> list[tuple[str, str]]:
        from toolkit.registration import statements
        from toolkit.registration.desired import desired_snowflake

        return statements.snowflake_all(desired_snowflake(loaded, catalog))

    def describe_target(self, ctx: "Context", mode: str) -> "CloudTarget":
        from toolkit.planning.where import snowflake_target

        return snowflake_target(ctx, mode)

    ddl_templates: ClassVar[dict[str, str]] = {
        "database": "database", "schema": "schema", "integration": "storage_integration", "file_format": "file_format",
        "stage": "stage", "external_table": "external_table",
    }

    def table_name(self, table: str, config: "Config") -> str | None:
        from toolkit.sql.refs import _snowflake_name

        return _snowflake_name(table, config)

    def offline_checker(self, validator: "FileValidator") -> Any:
        from toolkit.sql.validate.checks_snowflake import offline_checker

        return offline_checker(validator)

    def table_object(self, loaded: "LoadedConfig", table: str) -> str:
        return f"external_table/{table}"

    def ddl_problem(self, sql: str, loaded: "LoadedConfig | None") -> "Problem | None":
        from toolkit.sql.validate.checks_snowflake import ddl_problem

        return ddl_problem(sql, loaded)

    def online_checker(self, loaded: "LoadedConfig") -> tuple[Any | None, str | None]:
        from toolkit.sql.validate.online import snowflake_online

        return snowflake_online(loaded)

    def oracle_options(self, loaded: "LoadedConfig") -> dict[str, object]:
        section = loaded.config.snowflake
        return {} if section is None else {"database": section.database, "schema": section.schema_}
