"""The plan/apply pipeline: observe -> plan (pure) -> apply, phase by phase, for every registered target.

Protocol for a target (implement it, then append "module:Class" to `TARGETS`; nothing else changes):

    class MyTarget:
        name = "bigquery_connection"            # for messages
        phases = ("engine_connection",)         # phases it takes part in, from PHASES
        def enabled(self, ctx) -> bool: ...     # optional: False skips the target (e.g. engine not configured)
        def observe(self, ctx) -> Any: ...      # reads the cloud through ctx (ctx.client("iam"), engines, ...)
        def plan(self, ctx, observed) -> list[Action]: ...   # PURE: ctx.config + ctx.identities + observed
                                                             # (+ ctx.changes: what earlier targets change this run)
        def warnings(self, ctx, observed) -> list[str]: ...  # optional, PURE: what it leaves alone but people should know
        def apply(self, ctx, action) -> None: ...            # executes one of its own actions; idempotent
        def settle(self, ctx) -> None: ...      # optional: after its actions, wait until they are visible
        def identities(self) -> IdentitySource | None: ...   # optional: offer engine identities (handshake)
        def predict(self, ctx, observed, planned) -> list[Action]: ...  # optional, PURE: `fedkit plan`'s view of
                                                # its later phase, against the state `planned` leaves

Targets raise FedkitError subclasses (CloudError with the step, the AWS/engine error code and, for access
denied, the missing permission). The classes are created with no arguments and hold no state between calls.

Phases, in order (a target takes part in any of them; the same target may plan again in a later phase):

    aws_role          role with a trust that admits nobody until identities are known, read policy, tags
    engine_connection BigQuery connection / Snowflake storage integration (they need the role ARN)
    identity_read     not a target phase: identities are re-resolved (flag > engine > config)
    trust_tighten     the role target again: trust statements now name the real identities
    engine_tables     datasets, stages, external tables
    notifications     S3 -> SQS (Snowflake auto-refresh, needs the channel) and S3 -> SNS (upload alert)
    refresh           ALTER EXTERNAL TABLE … REFRESH: after the notifications are wired, after --replace, when stale

`plan_all` observes each target once and plans every phase in apply's order (what `fedkit plan` prints); a target
in a later phase plans against what its earlier steps predict (`predict(ctx, observed, planned)`, optional), values
known only after apply shown as such. `apply_all` re-observes before every phase, so a phase plans against what the
previous ones changed, applies in order, never does a step the approved plan (`shown`) did not list, and stops at
the first failure, reporting the steps done and the one that failed. Every step is idempotent, so rerunning after a
failure converges. A stop request (`ctx.stop`, set by the CLI on Ctrl-C) is honoured at the next step boundary: the
running cloud call finishes, no other starts (ApplyInterrupted, exit 130).
"""

from __future__ import annotations

import importlib
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol, runtime_checkable

from toolkit.errors import EXIT_INTERRUPTED, CheckFailed, CloudError, FedkitError
from toolkit.planning.actions import Action, Plan
from toolkit.planning.identities import Identities, IdentitySource, resolve_identities

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.gold.model import GoldCatalog

PHASES: tuple[str, ...] = (
    "aws_role",
    "engine_connection",
    "identity_read",
    "trust_tighten",
    "engine_tables",
    "notifications",
    "refresh",
)

# The registry: one "module:Class" per target, in the order targets run inside a phase. Append to extend.
TARGETS: list[str] = [
    "toolkit.iam.role_target:RoleTarget",
    "toolkit.iam.spectrum_target:SpectrumRoleTarget",  # redshift: the role Redshift Spectrum assumes (its own trust)
    "toolkit.registration.targets:BigQueryConnectionTarget",
    "toolkit.registration.targets:SnowflakeIntegrationTarget",
    "toolkit.registration.targets:BigQueryTablesTarget",
    "toolkit.registration.targets:SnowflakeObjectsTarget",
    "toolkit.registration.glue_target:GlueTablesTarget",  # glue: Glue Data Catalog database, tables, partitions
    "toolkit.registration.athena_workgroup:AthenaWorkgroupTarget",  # athena.output_location: workgroup + results
    "toolkit.registration.spectrum_schema:SpectrumSchemaTarget",  # redshift: external schema over the Glue database
    "toolkit.registration.views:BigQueryKpiViewsTarget",  # kpi.publish_views: after the tables they read
    "toolkit.registration.views:SnowflakeKpiViewsTarget",
    # After the tables and views the run wants: fedkit's tables for gold tables that are gone (`apply --prune`).
    "toolkit.registration.orphan_targets:BigQueryOrphansTarget",
    "toolkit.registration.orphan_targets:SnowflakeOrphansTarget",
    # Last: `plan` observes in this order, and the notifications need the tables Snowflake registers.
    "toolkit.iam.notification_target:NotificationTarget",
    # After the notifications: a refresh must follow their wiring (toolkit.registration.freshness).
    "toolkit.registration.refresh_target:SnowflakeRefreshTarget",
]


@runtime_checkable
class Target(Protocol):
    name: str
    phases: tuple[str, ...]

    def observe(self, ctx: "Context") -> Any: ...

    def plan(self, ctx: "Context", observed: Any) -> list[Action]: ...

    def apply(self, ctx: "Context", action: Action) -> None: ...


@dataclass
class Context:
    """What targets share during one run. `client(service)` gives boto3 clients (cached, injectable for tests)."""

    loaded: "LoadedConfig"
    flags: Identities = field(default_factory=Identities)
    identity_sources: list[IdentitySource] = field(default_factory=list)
    client_factory: Callable[[str], Any] | None = None
    sleep: Callable[[float], None] = time.sleep
    propagation_attempts: int = 10
    propagation_delay: float = 2.0
    # (table, key prefix) of the external tables Snowflake registers with AUTO_REFRESH, set when this run read the
    # gold layer (SnowflakeObjectsTarget.observe); None: not read, the notifications fall back to the config.
    auto_refresh_tables: tuple[tuple[str, str], ...] | None = None
    # table -> its own Snowflake notification channel (SHOW EXTERNAL TABLES), when this run read them.
    auto_refresh_channels: dict[str, str] | None = None
    replace: bool = False  # --replace: recreate registered tables whose columns drifted from the Parquet
    prune: bool = False  # apply --prune: drop the tables fedkit registered for gold tables that are gone
    only: frozenset[str] = frozenset()  # --target: restrict to these clouds (aws, bigquery, snowflake); empty = all
    identities: Identities = field(default_factory=Identities)
    # The actions earlier targets planned (plan_all) or applied (apply_all) in this run, in order, drift reports
    # included: a later phase may depend on them (the Snowflake refresh follows the notification wiring and --replace,
    # and leaves drifted tables alone).
    changes: list[Action] = field(default_factory=list)
    # Set (by the CLI's Ctrl-C handler) to stop at the next step boundary; the step running then completes.
    stop: threading.Event = field(default_factory=threading.Event, repr=False)
    # True while plan_all plans: a target may then show a step whose values exist only after earlier steps apply.
    predicting: bool = False
    # What plan_all observed, by "<phase>/<target>": a saved plan keeps its digest (toolkit.planning.saved).
    observed: dict[str, Any] = field(default_factory=dict, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)
    _gold: "GoldCatalog | None" = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.refresh_identities()

    @property
    def config(self) -> "Config":
        return self.loaded.config

    def client(self, service: str) -> Any:
        if service not in self._clients:
            if self.client_factory is not None:
                self._clients[service] = self.client_factory(service)
            else:
                from toolkit.aws import aws_client

                region = self.config.aws.region if self.config.aws is not None else None
                self._clients[service] = aws_client(service, region=region)
        return self._clients[service]

    def gold_catalog(self) -> "GoldCatalog":
        """The gold layer in S3 as every target of this run plans it: read once (a sample of footers per partition,
        cached by ETag under .fedkit/), shared by every phase. fedkit never writes the gold layer, so a re-read
        between phases would only cost requests."""
        if self._gold is None:
            from toolkit.gold.schema import read_catalog

            self._gold = read_catalog(self.loaded, "s3", sample=True)
        return self._gold

    def refresh_identities(self) -> Identities:
        self.identities = resolve_identities(self.config, self.flags, self.identity_sources)
        return self.identities


def load_targets(specs: Iterable[str] | None = None) -> list[Target]:
    targets = []
    for spec in specs if specs is not None else TARGETS:
        module_name, class_name = spec.split(":")
        targets.append(getattr(importlib.import_module(module_name), class_name)())
    return targets


TARGET_CLOUDS = ("aws", "bigquery", "snowflake", "glue")


def _enabled(target: Any, ctx: Context) -> bool:
    if ctx.only and getattr(target, "cloud", "aws") not in ctx.only:
        return False
    check = getattr(target, "enabled", None)
    return bool(check(ctx)) if callable(check) else True


def _collect_identities(ctx: Context, targets: list[Target]) -> None:
    """The handshake's read step: engines that exist already say who they are (flag > engine > config)."""
    sources = [s for t in targets if _enabled(t, ctx) for s in [_identity_source(t)] if s is not None]
    ctx.identity_sources = [*ctx.identity_sources, *[s for s in sources if s not in ctx.identity_sources]]
    ctx.refresh_identities()


def plan_all(ctx: Context, targets: list[Target] | None = None) -> Plan:
    """Observe every enabled target once (at its first phase) and plan every phase, in apply's order. Nothing is
    changed.

    Identities are read first, as apply's identity_read phase would, so that a converged setup plans nothing. A target
    in a later phase (the role in trust_tighten) plans against the state its earlier actions leave, with the values
    that only exist after them shown as "known after ..." (its optional `predict(ctx, observed, planned)`), so the
    plan lists every step apply takes (issue 12: plan = apply).
    """
    targets = targets if targets is not None else load_targets()
    _collect_identities(ctx, targets)
    ctx.changes = []
    ctx.observed = {}
    actions: list[Action] = []
    warnings: list[str] = []
    seen: dict[int, tuple[Any, list[Action]]] = {}
    ctx.predicting = True
    try:
        for phase in PHASES:
            for target in targets:
                if phase not in target.phases or not _enabled(target, ctx):
                    continue
                if id(target) in seen:
                    predict = getattr(target, "predict", None)
                    if not callable(predict):
                        continue
                    observed, earlier = seen[id(target)]
                    planned = predict(ctx, observed, earlier)
                else:
                    observed = target.observe(ctx)
                    planned = target.plan(ctx, observed)
                    seen[id(target)] = (observed, planned)
                    ctx.observed[f"{phase}/{target.name}"] = observed
                    warn = getattr(target, "warnings", None)
                    warnings += warn(ctx, observed) if callable(warn) else []
                actions += planned
                ctx.changes.extend(planned)
    finally:
        ctx.predicting = False
    return Plan(tuple(actions), tuple(warnings))


def step_key(action: Action) -> tuple[str, str, str]:
    """What "the same step" means between a shown plan and apply's re-plan (details and values may differ)."""
    return (action.target, action.action, action.resource)


class BeyondPlan(CheckFailed):
    """Apply's re-plan of a phase wants a step the approved plan did not show: stop rather than do it."""


@dataclass
class ApplyReport:
    done: list[Action] = field(default_factory=list)
    failed: str | None = None  # the step that failed: "<verb> <resource>" or "observe <target>"
    error: str | None = None
    interrupted: bool = False  # stopped on request (Ctrl-C) before `error`'s step; in the JSON only when True

    def to_json(self) -> dict[str, Any]:
        from toolkit.planning.actions import with_drift

        data = with_drift({
            "done": [a.to_json() for a in self.done if a.action != "drift"],
            "failed": self.failed,
            "error": self.error,
        }, self.done)
        return {**data, "interrupted": True} if self.interrupted else data

    def steps_done(self) -> str:
        return ", ".join(f"{a.action} {a.resource}" for a in self.done if a.action != "drift") or "none"


class ApplyFailed(CloudError):
    """An apply stopped midway; `report` says what was done and what failed. Rerunning converges."""

    def __init__(self, report: ApplyReport):
        done = ", ".join(f"{a.action} {a.resource}" for a in report.done) or "none"
        super().__init__(f"{report.error} (steps done before the failure: {done}; fix it and rerun `fedkit apply`)")
        self.report = report


class ApplyInterrupted(FedkitError):
    """The apply stopped on request between two steps; `report` says what was done. Rerunning finishes the job."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, report: ApplyReport, step: str, during: bool = False):
        report.interrupted = True
        report.failed = step if during else None
        report.error = (f"interrupted during {step} (it may not have finished)" if during
                        else f"interrupted before {step}")
        super().__init__(f"{report.error}; steps done: {report.steps_done()}; rerun `fedkit apply` to finish (it is "
                         "safe to repeat)")
        self.report = report


def apply_all(
    ctx: Context,
    targets: list[Target] | None = None,
    on_step: Callable[[Action], None] | None = None,
    shown: Plan | None = None,
) -> ApplyReport:
    """Run every phase in order; re-observe before each. Raises ApplyFailed at the first failing step.

    `shown`: the plan the operator approved. A phase's re-plan may do less than it showed (a step no longer needed),
    never more: a step it did not show (by target, action, resource) stops the apply before that step (exit 1).
    """
    targets = targets if targets is not None else load_targets()
    allowed = [step_key(a) for a in shown.actions if a.action != "drift"] if shown is not None else None
    ctx.changes = []  # what this apply does, not what an earlier plan_all on the same context planned
    report = ApplyReport()

    def step(name: str, fn: Callable[[], Any]) -> Any:
        if ctx.stop.is_set():  # a step boundary: the one before has finished, this one has not started
            raise ApplyInterrupted(report, name)
        return _step(report, name, fn)

    for phase in PHASES:
        if phase == "identity_read":
            step("read engine identities", lambda: _collect_identities(ctx, targets))
            continue
        for target in targets:
            if phase not in target.phases or not _enabled(target, ctx):
                continue
            observed = step(f"observe {target.name}", lambda: target.observe(ctx))
            actions = _step(report, f"plan {target.name}", lambda: target.plan(ctx, observed))
            for action in actions:
                if allowed is not None and action.action != "drift":
                    _step(report, f"{action.action} {action.resource}", lambda: _within(allowed, action))
                step(f"{action.action} {action.resource}", lambda: target.apply(ctx, action))
                report.done.append(action)
                ctx.changes.append(action)
                if on_step is not None:
                    on_step(action)
            settle = getattr(target, "settle", None)
            if actions and callable(settle):
                step(f"wait for {target.name} to propagate", lambda: settle(ctx))
    return report


def _within(allowed: list[tuple[str, str, str]], action: Action) -> None:
    key = step_key(action)
    if key not in allowed:
        raise BeyondPlan(f"not in the plan that was shown ({action.target}; the clouds changed since it was made), so "
                         "it was not done: run `fedkit plan` again and review it")
    allowed.remove(key)


def _identity_source(target: Any) -> IdentitySource | None:
    offer = getattr(target, "identities", None)
    return offer() if callable(offer) else None


def _step(report: ApplyReport, name: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except KeyboardInterrupt:
        # An SDK turned Ctrl-C into an exception mid-call (snowflake-connector cancels its statement and raises).
        raise ApplyInterrupted(report, name, during=True) from None
    except FedkitError as exc:
        report.failed = name
        report.error = _naming(name, exc.message)
        raise ApplyFailed(report) from exc


def _naming(step: str, message: str) -> str:
    """The error line names the step: AWS errors already start with it ("create iam_role/r: AccessDenied ...", or
    "observe iam_role/r: ..." for a target's read); an engine's ("Snowflake: SHOW ...: ...") gets it in front."""
    verb = step.split(" ", 1)[0]
    if message.startswith(step) or (verb in ("observe", "wait") and message.startswith(verb + " ")):
        return message
    return f"{step}: {message}"
