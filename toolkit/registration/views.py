"""KPI views as `toolkit.planning.pipeline` targets: one per engine, in the `engine_tables` phase after the tables
the views read (targets run in registry order inside a phase). Enabled by `kpi.publish_views: true`.

Two targets rather than one so that `--target bigquery` / `--target snowflake` select them like the tables.
observe: reads the KPI files, the gold catalog (S3, as the tables) and the views in the dataset/schema;
plan: pure (`view_plan.plan_views`); apply: `create_view` / `drop_view` on the engine adapter.
The decisions (ownership marker, idempotence, unportable KPIs, deletes) are in `toolkit.registration.view_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.errors import UsageError
from toolkit.registration import view_plan
from toolkit.registration.targets import engine_for

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog
    from toolkit.planning.actions import Action
    from toolkit.planning.pipeline import Context
    from toolkit.sql.kpi_files import KpiFile


@dataclass(frozen=True)
class ViewsObservation:
    views: dict[str, view_plan.ObservedView]
    catalog: "GoldCatalog"
    kpis: tuple["KpiFile", ...]
    note: str | None = None


def _inputs(ctx: "Context") -> tuple["GoldCatalog", tuple["KpiFile", ...]]:
    """The gold catalog (from S3, what the tables are registered from) and the KPI suite, read once per run."""
    cached = getattr(ctx, "_kpi_view_inputs", None)
    if cached is None:
        from toolkit.sql.suite import load_suite

        cached = (ctx.gold_catalog(), tuple(load_suite(ctx.loaded)))
        setattr(ctx, "_kpi_view_inputs", cached)
    return cached


class _KpiViewsTarget:
    engine_name = ""
    phases = ("engine_tables",)

    @property
    def name(self) -> str:
        return f"{self.engine_name}_kpi_views"

    @property
    def cloud(self) -> str:
        return self.engine_name

    def enabled(self, ctx: "Context") -> bool:
        config = ctx.config
        return bool(config.kpi.publish_views) and getattr(config, self.engine_name) is not None and config.aws is not None

    def observe(self, ctx: "Context") -> ViewsObservation:
        engine = engine_for(ctx, self.engine_name)
        catalog, kpis = _inputs(ctx)
        views = engine.observe_views(view_plan.container_for(self.engine_name, ctx.loaded))
        return ViewsObservation(views, catalog, kpis, getattr(engine, "view_note", None))

    def plan(self, ctx: "Context", observed: ViewsObservation) -> list["Action"]:
        from dataclasses import replace

        container = view_plan.container_for(self.engine_name, ctx.loaded)
        desired = view_plan.desired_views(self.engine_name, ctx.loaded, observed.catalog, observed.kpis)
        actions = view_plan.plan_views(self.engine_name, container, desired, observed.views)
        if observed.note:
            actions = [replace(a, detail=f"{a.detail} [{observed.note}]") if a.payload.get("op") != "drift" else a
                       for a in actions]
        return actions

    def apply(self, ctx: "Context", action: "Action") -> None:
        engine, p = engine_for(ctx, self.engine_name), action.payload
        if p["op"] == "create_view":
            engine.create_view(p["view"])
        elif p["op"] == "drop_view":
            engine.drop_view(p["container"], p["name"], p["sql"])
        elif p["op"] != "drift":
            raise UsageError(f"{self.name}: unknown step {p['op']!r}")


class BigQueryKpiViewsTarget(_KpiViewsTarget):
    engine_name = "bigquery"


class SnowflakeKpiViewsTarget(_KpiViewsTarget):
    engine_name = "snowflake"

