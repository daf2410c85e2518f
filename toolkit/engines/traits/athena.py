"""Athena (Trino, engine v3) over the Glue Data Catalog: what holds in the cloud and on the sandbox's stand-in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.engines.traits import EngineTraits

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.sql.validate.files import FileValidator


class AthenaTraits(EngineTraits):
    name = "athena"
    title = "Athena"
    config_section = "athena"
    optional = True
    validates_in_worker = True  # sqlglot's qualifier and translation to the DuckDB stand-in are Python
    oracle = "toolkit.sql.parity.aws_standin:AthenaStandIn"
    offline_limits = ("athena: checked offline by sqlglot (parse, gold tables and columns) and a DuckDB stand-in; not "
                      "checked: Athena's own function signatures and type coercions, the workgroup, its results "
                      "location and permissions, and the Glue tables themselves (fedkit validate --online runs Athena "
                      "EXPLAIN)")

    def table_name(self, table: str, config: "Config") -> str | None:
        from toolkit.sql.refs import _athena_name

        return _athena_name(table, config)

    def offline_checker(self, validator: "FileValidator") -> Any:
        from toolkit.sql.validate.aws_checkers import AwsChecker

        return AwsChecker(self.name, validator.catalog, validator.table_names[self.name])

    def online_checker(self, loaded: "LoadedConfig") -> tuple[Any | None, str | None]:
        from toolkit.engines.aws_explain import athena_online

        return athena_online(loaded)
