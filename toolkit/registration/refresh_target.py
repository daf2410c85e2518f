"""The Snowflake refresh as a pipeline target, in the last phase (`refresh`, after the S3 notifications).

observe: each registered table's freshness (the adapter reads SHOW EXTERNAL TABLES and S3, or the sandbox its copy's
file list) and what this run changes before it (`ctx.changes`: notification wiring, created and replaced tables);
plan: `toolkit.registration.freshness.plan_snowflake_refresh` (pure); apply: `ALTER EXTERNAL TABLE … REFRESH`.
`stale_tables` tells a reading command which of the sandbox's loaded copies are behind S3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.errors import UsageError
from toolkit.registration import freshness
from toolkit.registration.desired import desired_snowflake
from toolkit.registration.targets import Observation, _Base, _catalog, _noted, assuming_role

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.planning.actions import Action
    from toolkit.planning.pipeline import Context


class SnowflakeRefreshTarget(_Base):
    name = "snowflake_refresh"
    phases = ("refresh",)
    engine_name = "snowflake"

    def identities(self) -> None:  # SnowflakeIntegrationTarget already offers the adapter
        return None

    def observe(self, ctx: "Context") -> Observation:
        engine = self._engine(ctx)
        catalog = _catalog(ctx)
        desired = desired_snowflake(ctx.loaded, catalog)
        changes = freshness.run_changes(ctx.changes)
        state = freshness.ObservedRefresh(engine.observe_freshness(desired), *changes)
        return Observation(state, catalog, getattr(engine, "emulation_note", None))

    def plan(self, ctx: "Context", observed: Observation) -> list["Action"]:
        desired = desired_snowflake(ctx.loaded, observed.catalog)
        return _noted(freshness.plan_snowflake_refresh(desired, observed.state), observed.note)

    def apply(self, ctx: "Context", action: "Action") -> None:
        p = action.payload
        if p["op"] != "refresh_external_table":
            raise UsageError(f"snowflake_refresh: unknown step {p['op']!r}")
        engine = self._engine(ctx)
        assuming_role(ctx, action, lambda: engine.refresh_external_table(p["sql"], p["desired"], p["spec"]))




def stale_tables(engine: object, loaded: "LoadedConfig", catalog: "GoldCatalog") -> dict[str, str]:
    """Registered Snowflake tables (config name -> why) whose metadata misses files now in S3, for a command that reads
    them (`fedkit kpi run`) to say so rather than serve old rows silently. Only the sandbox's Snowflake is checked (its
    tables are loaded copies; the check lists S3); {} where it cannot tell."""
    from toolkit.errors import FedkitError
    from toolkit.registration.desired import sf_resolved

    observe = getattr(engine, "observe_freshness", None)
    if getattr(engine, "mode", "") != "sandbox" or observe is None or loaded.config.snowflake is None:
        return {}
    try:
        desired = desired_snowflake(loaded, catalog)
        seen = observe(desired)
    except FedkitError:
        return {}
    result = {}
    for table in desired.tables:
        state = seen.get(sf_resolved(table.name))
        reason = freshness.stale_reason(state) if state is not None else None
        if reason:
            result[table.name] = state.changed or reason[len(freshness.REFRESH_PREFIX):]
    return result
