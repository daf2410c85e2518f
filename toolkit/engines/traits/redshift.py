"""Redshift (Spectrum over the Glue database): what holds in the cloud and on the sandbox's stand-in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.engines.traits import EngineTraits

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.sql.validate.files import FileValidator


class RedshiftTraits(EngineTraits):
    name = "redshift"
    title = "Redshift"
    config_section = "redshift"
    optional = True
    validates_in_worker = True  # sqlglot's qualifier and translation to the DuckDB stand-in are Python
    oracle = "toolkit.sql.parity.aws_standin:RedshiftStandIn"
    offline_limits = ("redshift: checked offline by sqlglot (parse, gold tables and columns) and a DuckDB stand-in; "
                      "not checked: Redshift's own function signatures and type coercions, the external schema, its "
                      "IAM role and Spectrum's access to S3 (fedkit validate --online runs EXPLAIN through the "
                      "Redshift Data API)")

    def table_name(self, table: str, config: "Config") -> str | None:
        from toolkit.sql.refs import _redshift_name

        return _redshift_name(table, config)

    def offline_checker(self, validator: "FileValidator") -> Any:
        from toolkit.sql.validate.aws_checkers import AwsChecker

        return AwsChecker(self.name, validator.catalog, validator.table_names[self.name])

    def online_checker(self, loaded: "LoadedConfig") -> tuple[Any | None, str | None]:
        from toolkit.engines.aws_explain import redshift_online

        return redshift_online(loaded)
