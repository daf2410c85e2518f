"""Orphan tables as `toolkit.planning.pipeline` targets, one per engine, in the `engine_tables` phase after the
tables (and KPI views) so that a table the run still wants is never dropped.

observe: the desired gold table names (the run's one gold catalog) and the engine's tables with their markers;
plan: `delete` actions with `--prune` (`ctx.prune`), none otherwise; warnings: the orphans left alone without
`--prune`. The decisions (marker, what is an orphan) are in `toolkit.registration.orphans`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.errors import UsageError
from toolkit.registration import orphans as pure
from toolkit.registration.targets import engine_for

if TYPE_CHECKING:
    from toolkit.planning.actions import Action
    from toolkit.planning.pipeline import Context


@dataclass(frozen=True)
class OrphanObservation:
    container: str  # dataset (BigQuery) / DATABASE.SCHEMA (Snowflake), as the resources show it
    orphans: tuple[pure.ObservedTable, ...]
    drop_sql: dict[str, str]  # stored name -> DROP EXTERNAL TABLE


def _prune_requested(ctx: "Context") -> bool:
    return bool(getattr(ctx, "prune", False))


class _OrphansTarget:
    engine_name = ""
    phases = ("engine_tables",)

    @property
    def name(self) -> str:
        return f"{self.engine_name}_orphans"

    @property
    def cloud(self) -> str:  # what `--target` selects on
        return self.engine_name

    def enabled(self, ctx: "Context") -> bool:
        return getattr(ctx.config, self.engine_name) is not None and ctx.config.aws is not None

    def observe(self, ctx: "Context") -> OrphanObservation:
        raise NotImplementedError  # one per engine, below

    def plan(self, ctx: "Context", observed: OrphanObservation) -> list["Action"]:
        actions, _ = pure.plan_orphans(self.engine_name, observed.container, list(observed.orphans),
                                       observed.drop_sql, _prune_requested(ctx))
        return actions

    def warnings(self, ctx: "Context", observed: OrphanObservation) -> list[str]:
        _, warnings = pure.plan_orphans(self.engine_name, observed.container, list(observed.orphans),
                                        observed.drop_sql, _prune_requested(ctx))
        return warnings

    def apply(self, ctx: "Context", action: "Action") -> None:
        p = action.payload
        if p["op"] != "drop_orphan":
            raise UsageError(f"{self.name}: unknown step {p['op']!r}")
        self._drop(ctx, p["sql"], p["table"])


class BigQueryOrphansTarget(_OrphansTarget):
    engine_name = "bigquery"

    def observe(self, ctx: "Context") -> OrphanObservation:
        from toolkit.registration import statements
        from toolkit.registration.desired import desired_bigquery

        desired = desired_bigquery(ctx.loaded, ctx.gold_catalog())
        found = pure.find_orphans(self.engine_name, [t.name for t in desired.tables],
                                  engine_for(ctx, self.engine_name).observe_table_markers(desired.dataset))
        drop = {t.name: statements.bigquery_drop_table(desired, t.name) for t in found}
        return OrphanObservation(desired.dataset, tuple(found), drop)

    def _drop(self, ctx: "Context", sql: str, table: str) -> None:
        engine_for(ctx, "bigquery").drop_table(sql, ctx.config.bigquery.dataset, table)


class SnowflakeOrphansTarget(_OrphansTarget):
    engine_name = "snowflake"

    def observe(self, ctx: "Context") -> OrphanObservation:
        from toolkit.registration import statements
        from toolkit.registration.desired import desired_snowflake

        sf = desired_snowflake(ctx.loaded, ctx.gold_catalog())
        found = pure.find_orphans(self.engine_name, [t.name for t in sf.tables],
                                  engine_for(ctx, self.engine_name).observe_table_markers(sf))
        # Left in place (no --prune), an orphan keeps its auto-refresh entry; pruned, the entry goes in the same apply.
        kept = () if _prune_requested(ctx) else tuple(pure.managed_table(t.comment) or t.name for t in found)
        setattr(ctx, "orphan_auto_refresh", kept)
        drop = {t.name: statements.snowflake_drop_table(sf, pure.managed_table(t.comment) or t.name) for t in found}
        return OrphanObservation(f"{sf.database}.{sf.schema}", tuple(found), drop)

    def _drop(self, ctx: "Context", sql: str, table: str) -> None:
        from toolkit.registration.desired import desired_snowflake

        engine_for(ctx, "snowflake").drop_table(sql, desired_snowflake(ctx.loaded, ctx.gold_catalog()), table)
