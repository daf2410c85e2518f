"""The Athena workgroup KPIs run in, with its query results location, as a pipeline target (engine_tables phase).

Only with `athena.output_location` (without it fedkit manages no workgroup: the configured one keeps its own
settings). Missing: CreateWorkGroup with the results location, engine version 3 (the dialect KPIs compile to) and
the managed-by tag (docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html). A results location that
differs is drift, reported and left alone; `apply --replace` fixes it in place with UpdateWorkGroup
(ResultConfigurationUpdates.OutputLocation, docs.aws.amazon.com/athena/latest/APIReference/API_UpdateWorkGroup.html)
rather than delete and create, which would drop the workgroup's query history and saved queries. The sandbox is
moto's Athena (CreateWorkGroup/GetWorkGroup; it has no UpdateWorkGroup and stores, never uses, the location).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError
from toolkit.iam.aws_errors import call, error_code, to_cloud_error
from toolkit.planning.actions import Action
from toolkit.planning.diff import json_diff

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.planning.pipeline import Context

ENGINE_V3 = "Athena engine version 3"


@dataclass(frozen=True)
class ObservedWorkgroup:
    exists: bool = False
    output_location: str | None = None
    engine_version: str | None = None  # EffectiveEngineVersion, when Athena says


def desired_configuration(config: "Config") -> dict[str, Any]:
    return {
        "ResultConfiguration": {"OutputLocation": config.athena.output_location},
        "EnforceWorkGroupConfiguration": True,
        "EngineVersion": {"SelectedEngineVersion": ENGINE_V3},
    }


def plan_workgroup(config: "Config", observed: ObservedWorkgroup, replace: bool = False) -> list[Action]:
    """Pure: the steps that give the workgroup the configured results location."""
    from toolkit.iam.policies import MANAGED_TAG

    name, wanted = config.athena.workgroup, config.athena.output_location
    resource = f"athena_workgroup/{name}"
    if not observed.exists:
        payload = {"Name": name, "Configuration": desired_configuration(config),
                   "Description": "KPI queries of fedkit (managed by fedkit)", "Tags": [dict(MANAGED_TAG)]}
        return [Action("aws", "create", resource,
                       f"create Athena workgroup {name} (engine version 3), query results in {wanted}",
                       diff=json_diff(None, payload, resource), payload={"op": "create_work_group", **payload})]
    if observed.output_location == wanted:
        return []
    before, after = {"OutputLocation": observed.output_location}, {"OutputLocation": wanted}
    if not replace:
        return [Action("aws", "drift", resource,
                       f"workgroup {name} writes query results to {observed.output_location or 'no location'}, the "
                       f"config says {wanted}: left alone; `fedkit apply --replace` updates it in place",
                       diff=json_diff(before, after, resource), payload={"op": "drift"})]
    return [Action("aws", "update", resource, f"results location {observed.output_location} -> {wanted} "
                   "(UpdateWorkGroup: query history and saved queries kept)",
                   diff=json_diff(before, after, resource),
                   payload={"op": "update_work_group", "WorkGroup": name,
                            "ConfigurationUpdates": {"ResultConfigurationUpdates": {"OutputLocation": wanted}}})]


def observe_workgroup(client: Any, name: str) -> ObservedWorkgroup:
    from botocore.exceptions import BotoCoreError, ClientError

    step = f"observe athena_workgroup/{name}"
    try:
        group = client.get_work_group(WorkGroup=name).get("WorkGroup")
    except ClientError as exc:
        # Athena answers a missing workgroup with InvalidRequestException ("WorkGroup ... is not found")
        message = str(exc.response.get("Error", {}).get("Message", ""))
        if error_code(exc) == "InvalidRequestException" and "not found" in message.lower():
            return ObservedWorkgroup(exists=False)
        raise to_cloud_error(exc, step, "athena") from exc
    except BotoCoreError as exc:
        raise to_cloud_error(exc, step, "athena") from exc
    if not group:  # moto answers a missing workgroup with null
        return ObservedWorkgroup(exists=False)
    configuration = group.get("Configuration") or {}
    return ObservedWorkgroup(
        exists=True,
        output_location=(configuration.get("ResultConfiguration") or {}).get("OutputLocation"),
        engine_version=(configuration.get("EngineVersion") or {}).get("EffectiveEngineVersion"),
    )


class AthenaWorkgroupTarget:
    name = "athena_workgroup"
    phases = ("engine_tables",)
    cloud = "aws"

    def enabled(self, ctx: "Context") -> bool:
        athena = getattr(ctx.config, "athena", None)
        return athena is not None and athena.output_location is not None and ctx.config.aws is not None

    def observe(self, ctx: "Context") -> ObservedWorkgroup:
        return observe_workgroup(ctx.client("athena"), ctx.config.athena.workgroup)

    def plan(self, ctx: "Context", observed: ObservedWorkgroup) -> list[Action]:
        return plan_workgroup(ctx.config, observed, replace=bool(getattr(ctx, "replace", False)))

    def warnings(self, ctx: "Context", observed: ObservedWorkgroup) -> list[str]:
        version = observed.engine_version
        if observed.exists and version and version != ENGINE_V3:
            return [f"Athena workgroup {ctx.config.athena.workgroup} runs {version}: the KPIs compile to "
                    f"{ENGINE_V3}'s dialect; switch its engine version"]
        return []

    def apply(self, ctx: "Context", action: Action) -> None:
        client, p = ctx.client("athena"), action.payload
        step = f"{action.action} {action.resource}"
        if p["op"] == "create_work_group":
            call(step, "athena", lambda: client.create_work_group(
                Name=p["Name"], Configuration=p["Configuration"], Description=p["Description"], Tags=p["Tags"]))
        elif p["op"] == "update_work_group":
            call(step, "athena", lambda: client.update_work_group(
                WorkGroup=p["WorkGroup"], ConfigurationUpdates=p["ConfigurationUpdates"]))
        elif p["op"] != "drift":
            raise UsageError(f"athena_workgroup: unknown step {p['op']!r}")
