"""The Glue Data Catalog: a catalog fedkit registers the gold tables in (toolkit.engines.glue), not a query engine."""

from __future__ import annotations

from toolkit.engines.traits import EngineTraits


class GlueTraits(EngineTraits):
    """Registered through the Glue API (toolkit.registration.glue_*), not through DDL: `registers_by_api` gives it a
    `gold schema` column (the Hive types its TableInput carries, from the one type map); `registers_tables` stays
    False, as there is no DDL to render, template or check, and its plan target line is the AWS one (`aws_service`).
    Optional: shown only when the config has a glue: section. The Glue plan asks `table_resource` (orphans)."""

    name = "glue"
    title = "Glue"
    config_section = "glue"
    runs_kpis = False
    optional = True
    registers_by_api = True
    aws_service = True
    table_resource = "glue_table"
