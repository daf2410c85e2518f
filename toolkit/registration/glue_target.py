"""Glue registration as a `toolkit.planning.pipeline` target (engine_tables phase), through the Glue adapter.

observe: the adapter's reading of the catalog and of the partition folders in S3 (`toolkit.engines.glue`); plan: the
pure diff (`toolkit.registration.glue_plan`), orphans included (`delete` with `--prune`, warnings otherwise); apply:
exactly the planned step, one adapter call. `--clouds glue` selects it alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError
from toolkit.registration.glue_desired import desired_glue
from toolkit.registration.glue_plan import plan_glue, plan_glue_orphans
from toolkit.registration.targets import engine_for

if TYPE_CHECKING:
    from toolkit.planning.actions import Action
    from toolkit.planning.pipeline import Context


@dataclass(frozen=True)
class GlueObservation:
    state: Any  # ObservedGlue
    catalog: Any  # GoldCatalog
    note: str | None = None


class GlueTablesTarget:
    name = "glue_tables"
    phases = ("engine_tables",)
    cloud = "glue"  # `--clouds glue`; `--clouds aws` stays the role, policies and notifications

    def enabled(self, ctx: "Context") -> bool:
        return ctx.config.glue is not None and ctx.config.aws is not None

    def observe(self, ctx: "Context") -> GlueObservation:
        engine = engine_for(ctx, "glue")
        catalog = ctx.gold_catalog()
        return GlueObservation(engine.observe(desired_glue(ctx.loaded, catalog)), catalog, engine.emulation_note)

    def plan(self, ctx: "Context", observed: GlueObservation) -> list["Action"]:
        desired = desired_glue(ctx.loaded, observed.catalog)
        actions = plan_glue(desired, observed.state, replace=bool(getattr(ctx, "replace", False)))
        actions += plan_glue_orphans(desired, observed.state, bool(getattr(ctx, "prune", False)))[0]
        if observed.note:
            actions = [replace(a, detail=f"{a.detail} [{observed.note}]") if a.action != "drift" else a for a in actions]
        return actions

    def warnings(self, ctx: "Context", observed: GlueObservation) -> list[str]:
        desired = desired_glue(ctx.loaded, observed.catalog)
        return plan_glue_orphans(desired, observed.state, bool(getattr(ctx, "prune", False)))[1]

    def apply(self, ctx: "Context", action: "Action") -> None:
        engine, p = engine_for(ctx, "glue"), action.payload
        desired = desired_glue(ctx.loaded, ctx.gold_catalog())
        op = p["op"]
        if op == "create_database":
            engine.create_database(desired)
        elif op == "create_table":
            engine.create_table(desired, p["input"])
        elif op == "update_table":
            engine.update_table(desired, p["input"])
        elif op == "create_partitions":
            engine.create_partitions(desired, p["table"], p["partitions"])
        elif op == "update_partitions":
            engine.update_partitions(desired, p["table"], p["entries"])
        elif op == "drop_orphan":
            engine.delete_table(desired, p["name"])
        elif op != "drift":
            raise UsageError(f"glue_tables: unknown step {op!r}")
