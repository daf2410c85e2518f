"""The Glue Data Catalog: a catalog fedkit registers the gold tables in (toolkit.engines.glue), not a query engine."""

from __future__ import annotations

from toolkit.engines.traits import EngineTraits


class GlueTraits(EngineTraits):
    """Registered through the Glue API (toolkit.registration.glue_*), not through DDL: `registers_tables` (which asks
    for `registration_ddl`, a plan target line, a `gold schema` column and `validate`'s DDL check) stays False until
    those hooks exist for it; the Glue plan already asks `table_resource` (orphans) through the registry."""

    name = "glue"
    title = "Glue"
    config_section = "glue"
    runs_kpis = False
    aws_service = True
    table_resource = "glue_table"
