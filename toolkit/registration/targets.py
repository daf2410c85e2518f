"""Registration as `toolkit.planning.pipeline` targets (observe -> plan (pure) -> apply), one per phase.

    engine_connection  BigQueryConnectionTarget (AWS connection), SnowflakeIntegrationTarget (storage integration)
    identity_read      both offer their adapter as an identity source (connection identity, IAM user + external id)
    engine_tables      BigQueryTablesTarget (dataset + BigLake tables), SnowflakeObjectsTarget (database, schema,
                       file format, stage, external tables); afterwards identities are re-read so the notification
                       phase sees Snowflake's auto-refresh channel

Tables come from the Parquet in S3 (`read_catalog(loaded, "s3")`: run `fedkit gold publish` first). Drift is
reported as a `drift` action unless the context has `replace = True` (`--replace`), which recreates the table.
Refreshing external tables (`ALTER EXTERNAL TABLE … REFRESH`) is the last phase, after the S3 notifications
(`toolkit.registration.refresh_target`); here, a config asking for auto-refresh on a Snowflake account not hosted on
AWS is refused before any change (`freshness.check_auto_refresh_host`).
In the sandbox, the emulated steps say so in their detail line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable

from toolkit.errors import UsageError
from toolkit.registration import plan as planner
from toolkit.registration.desired import desired_bigquery, desired_snowflake

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog
    from toolkit.planning.actions import Action
    from toolkit.planning.pipeline import Context

_EMULATED_OPS = {"create_integration", "alter_integration", "alter_file_format", "create_stage", "create_external_table",
                 "create_table", "create_dataset", "create_connection", "update_connection", "refresh_external_table"}


@dataclass(frozen=True)
class Observation:
    state: Any  # ObservedBigQuery | ObservedSnowflake
    catalog: "GoldCatalog"
    note: str | None = None  # set in the sandbox: what is emulated
    region: str | None = None  # Snowflake's CURRENT_REGION(), read when a table wants AUTO_REFRESH


def engine_for(ctx: "Context", name: str) -> Any:
    """One adapter per engine and run (a Snowflake login per step would be slow)."""
    from toolkit.engines.registry import get_engine

    cache = getattr(ctx, "_registration_engines", None)
    if cache is None:
        cache = {}
        setattr(ctx, "_registration_engines", cache)
    if name not in cache:
        cache[name] = get_engine(name, ctx.loaded)
    return cache[name]


def _catalog(ctx: "Context") -> "GoldCatalog":
    """The run's one reading of the gold layer (`Context.gold_catalog`), shared by every target and phase."""
    return ctx.gold_catalog()


def _noted(actions: list["Action"], note: str | None) -> list["Action"]:
    if not note:
        return actions
    return [replace(a, detail=f"{a.detail} [{note}]") if a.payload.get("op") in _EMULATED_OPS else a for a in actions]


def assuming_role(ctx: "Context", action: "Action", fn: "Callable[[], Any]") -> Any:
    """An engine call that assumes the AWS role (BigLake DDL reading the Parquet, Snowflake external table creation or
    refresh through the integration): retried on access-denied answers while IAM propagates
    (toolkit.engines.propagation), one progress line on stderr per wait."""
    import sys

    from toolkit.engines.propagation import propagation_budget, retry_access_denied

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    return retry_access_denied(f"{action.action} {action.resource}", fn, budget=propagation_budget(),
                               sleep=ctx.sleep, progress=progress)


def _validation_file(desired: Any) -> str | None:
    """A gold file, relative to the stage URL: SYSTEM$VALIDATE_STORAGE_INTEGRATION's 'read' fails on a missing file."""
    from toolkit.engines.s3_files import snowflake_table_files

    stage = desired.stage_url.rstrip("/") + "/"
    for table in desired.tables:
        uris = sorted(uri for uri in snowflake_table_files(desired, table) if uri.startswith(stage))
        if uris:
            return uris[0][len(stage):]
    return None


def report_validation(engine: Any, desired: Any) -> None:
    import sys

    check = getattr(engine, "validate_integration", None)
    if callable(check):
        result = check(desired, _validation_file(desired))
        print(f"{'validated' if result.ok else 'warning:'} {result.summary}", file=sys.stderr, flush=True)


def _replace_requested(ctx: "Context") -> bool:
    return bool(getattr(ctx, "replace", False))


class _Base:
    engine_name = ""

    @property
    def cloud(self) -> str:  # what `--target` selects on
        return self.engine_name

    def __init__(self) -> None:
        self._ctx: "Context | None" = None  # kept only to offer the adapter as an identity source

    def enabled(self, ctx: "Context") -> bool:
        self._ctx = ctx  # so `identities()` (called without a context) can build the adapter
        return getattr(ctx.config, self.engine_name) is not None and ctx.config.aws is not None

    def identities(self) -> Any:
        return engine_for(self._ctx, self.engine_name) if self._ctx is not None else None

    def _engine(self, ctx: "Context") -> Any:
        self._ctx = ctx
        return engine_for(ctx, self.engine_name)


# -- BigQuery -------------------------------------------------------------------------------------------------------
class BigQueryConnectionTarget(_Base):
    name = "bigquery_connection"
    phases = ("engine_connection",)
    engine_name = "bigquery"

    def observe(self, ctx: "Context") -> Observation:
        from toolkit.gold.model import GoldCatalog
        from toolkit.registration.observed import ObservedBigQuery

        engine = self._engine(ctx)
        bq = ctx.config.bigquery
        state = ObservedBigQuery(connection=engine.get_connection(bq.location, bq.connection_id))
        return Observation(state, GoldCatalog(), getattr(engine, "emulation_note", None))

    def plan(self, ctx: "Context", observed: Observation) -> list["Action"]:
        desired = desired_bigquery(ctx.loaded, observed.catalog)
        return _noted(planner.plan_bigquery_connection(desired, observed.state), observed.note)

    def apply(self, ctx: "Context", action: "Action") -> None:
        engine, p = self._engine(ctx), action.payload
        if p["op"] == "create_connection":
            engine.create_connection(p["location"], p["connection_id"], p["role_arn"])
        elif p["op"] == "update_connection":
            engine.update_connection(p["location"], p["connection_id"], p["role_arn"])


class BigQueryTablesTarget(_Base):
    name = "bigquery_tables"
    phases = ("engine_tables",)
    engine_name = "bigquery"

    def observe(self, ctx: "Context") -> Observation:
        engine = self._engine(ctx)
        catalog = _catalog(ctx)
        desired = desired_bigquery(ctx.loaded, catalog)
        state = replace(engine.observe(desired), connection=None)
        return Observation(state, catalog, getattr(engine, "emulation_note", None))

    def plan(self, ctx: "Context", observed: Observation) -> list["Action"]:
        desired = desired_bigquery(ctx.loaded, observed.catalog)
        actions = planner.plan_bigquery_tables(desired, observed.state, replace=_replace_requested(ctx))
        return _noted(actions, observed.note)

    def apply(self, ctx: "Context", action: "Action") -> None:
        engine, p = self._engine(ctx), action.payload
        if p["op"] == "create_dataset":
            engine.create_dataset(p["sql"], p["dataset"])
        elif p["op"] == "create_table":
            assuming_role(ctx, action, lambda: engine.create_table(p["sql"], p["desired"], p["spec"],
                                                                   replace=bool(p.get("replace"))))
        elif p["op"] != "drift":
            raise UsageError(f"bigquery_tables: unknown step {p['op']!r}")


# -- Snowflake ------------------------------------------------------------------------------------------------------
class SnowflakeIntegrationTarget(_Base):
    name = "snowflake_integration"
    phases = ("engine_connection",)
    engine_name = "snowflake"

    def observe(self, ctx: "Context") -> Observation:
        from toolkit.gold.model import GoldCatalog
        from toolkit.registration.observed import ObservedSnowflake

        engine = self._engine(ctx)
        state = ObservedSnowflake(integration=engine.describe_integration(ctx.config.snowflake.integration))
        return Observation(state, GoldCatalog(), getattr(engine, "emulation_note", None))

    def plan(self, ctx: "Context", observed: Observation) -> list["Action"]:
        desired = desired_snowflake(ctx.loaded, observed.catalog)
        return _noted(planner.plan_snowflake_integration(desired, observed.state), observed.note)

    def apply(self, ctx: "Context", action: "Action") -> None:
        engine, p = self._engine(ctx), action.payload
        if p["op"] == "create_integration":
            engine.create_integration(p["sql"], p["desired"])
        elif p["op"] == "alter_integration":
            engine.alter_integration(p["sql"], p["desired"])


def _share_auto_refresh(ctx: "Context", desired: Any, engine: Any = None) -> None:
    """Tell the notification phase which tables get AUTO_REFRESH (discovered ones too), so each gets its S3 event,
    and, once Snowflake has the tables, each table's own notification channel."""
    from toolkit.iam.notifications import registered_auto_refresh
    from toolkit.registration.desired import sf_resolved

    tables = [(t.name, t.location) for t in desired.tables if t.auto_refresh]
    ctx.auto_refresh_tables = registered_auto_refresh(ctx.config.gold.bucket, tables)
    getter = getattr(engine, "snowflake_notification_channels", None)
    if callable(getter):
        channels = getter()
        ctx.auto_refresh_channels = {t.name: channels[sf_resolved(t.name)] for t in desired.tables
                                     if t.auto_refresh and sf_resolved(t.name) in channels}


class SnowflakeObjectsTarget(_Base):
    name = "snowflake_tables"
    phases = ("engine_tables",)
    engine_name = "snowflake"

    def observe(self, ctx: "Context") -> Observation:
        engine = self._engine(ctx)
        catalog = _catalog(ctx)
        desired = desired_snowflake(ctx.loaded, catalog)
        state = engine.observe_objects(desired)
        _share_auto_refresh(ctx, desired, engine)
        setattr(ctx, "_snowflake_desired", desired)
        region = engine.account_region() if any(t.auto_refresh for t in desired.tables) else None
        return Observation(state, catalog, getattr(engine, "emulation_note", None), region)

    def plan(self, ctx: "Context", observed: Observation) -> list["Action"]:
        from toolkit.registration.freshness import check_auto_refresh_host

        desired = desired_snowflake(ctx.loaded, observed.catalog)
        check_auto_refresh_host(desired, observed.region)
        actions = planner.plan_snowflake_objects(desired, observed.state, replace=_replace_requested(ctx))
        return _noted(actions, observed.note)

    def apply(self, ctx: "Context", action: "Action") -> None:
        engine, p = self._engine(ctx), action.payload
        op = p["op"]
        if op == "create_object":
            engine.create_object(p["sql"])
        elif op == "alter_file_format":
            engine.alter_file_format(p["sql"], p["desired"])
        elif op == "create_stage":
            engine.create_stage(p["sql"], p["desired"])
        elif op == "create_external_table":
            assuming_role(ctx, action, lambda: engine.create_external_table(p["sql"], p["desired"], p["spec"],
                                                                             replace=bool(p.get("replace"))))
        elif op != "drift":
            raise UsageError(f"snowflake_tables: unknown step {op!r}")

    def settle(self, ctx: "Context") -> None:
        """New external tables expose their auto-refresh channels: re-read them for the notification phase. Then,
        the trust being tightened by now, Snowflake checks that the integration reads the gold prefix
        (SYSTEM$VALIDATE_STORAGE_INTEGRATION); the result is one line of apply's output (stderr)."""
        ctx.refresh_identities()
        desired = getattr(ctx, "_snowflake_desired", None)  # what observe computed this run (no second read)
        if desired is not None:
            _share_auto_refresh(ctx, desired, self._engine(ctx))
            report_validation(self._engine(ctx), desired)
