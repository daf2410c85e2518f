"""What the role will look like later in a first apply, for `fedkit plan` to show the steps that wait for it.

The trust is tightened (phase trust_tighten) only once the BigQuery connection / Snowflake integration exist and
report their identities, so on a fresh account the plan cannot know those values. Like Terraform's "known after
apply", the plan shows the step with a placeholder (`KNOWN_AFTER_*`) instead of hiding it; apply re-plans the
phase against the real identities and never does a step the shown plan did not list (toolkit.planning.pipeline).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from toolkit.iam import policies
from toolkit.iam.observed import ObservedRole
from toolkit.planning.identities import Identities, SnowflakeTrust

if TYPE_CHECKING:
    from toolkit.planning.actions import Action

KNOWN_AFTER_CONNECTION = "(known after the connection exists)"
KNOWN_AFTER_INTEGRATION = "(known after the integration exists)"
KNOWN_AFTER_TABLES = "(known after the external tables exist)"


def pending_identities(identities: Identities, changes: Iterable["Action"]) -> Identities | None:
    """`identities` with a placeholder for each engine created earlier in this run whose identity is unknown yet;
    None when no identity waits (the later phase then plans nothing new)."""
    created = {a.resource.split("/", 1)[0] for a in changes if a.action == "create"}
    values: dict[str, object] = {}
    sources = dict(identities.sources)
    if identities.bigquery is None and "bigquery_connection" in created:
        values["bigquery"], sources["bigquery"] = KNOWN_AFTER_CONNECTION, KNOWN_AFTER_CONNECTION.strip("()")
    if identities.snowflake is None and "snowflake_integration" in created:
        values["snowflake"] = SnowflakeTrust(KNOWN_AFTER_INTEGRATION, KNOWN_AFTER_INTEGRATION)
        sources["snowflake"] = KNOWN_AFTER_INTEGRATION.strip("()")
    if not values:
        return None
    return replace(identities, sources=sources, **values)  # type: ignore[arg-type]


def role_after(observed: ObservedRole, planned: Iterable["Action"]) -> ObservedRole:
    """The role as the planned AWS actions leave it (their payloads are what apply sends)."""
    role = observed
    for action in planned:
        p = action.payload
        op = p.get("op")
        if op == "create_role":
            role = replace(role, exists=True, trust=p["AssumeRolePolicyDocument"],
                           max_session_duration=p["MaxSessionDuration"], description=p["Description"],
                           tags={t["Key"]: t["Value"] for t in p.get("Tags", [])})
        elif op == "update_assume_role_policy":
            role = replace(role, trust=p["PolicyDocument"])
        elif op == "put_role_policy" and p.get("PolicyName") == policies.INLINE_POLICY_NAME:
            role = replace(role, inline_policy=p["PolicyDocument"])
        elif op == "update_role":
            role = replace(role, max_session_duration=p["MaxSessionDuration"], description=p["Description"])
        elif op == "tag_role":
            role = replace(role, tags={**role.tags, **{t["Key"]: t["Value"] for t in p["Tags"]}})
        elif op == "add_client_id_to_open_id_connect_provider":
            role = replace(role, google_oidc_audiences=(*role.google_oidc_audiences, p["ClientID"]))
    return role


def mark_predicted(actions: list["Action"]) -> list["Action"]:
    """Predicted steps are shown, never executed: apply plans them again with the real values."""
    return [replace(a, payload={**a.payload, "predicted": True}) for a in actions]
