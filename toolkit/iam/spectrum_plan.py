"""Pure planner for the Redshift Spectrum role: (config, observed role) -> actions. No I/O; golden-testable.

Its own role, not a statement in the BigQuery/Snowflake role's trust: a role's permissions go to every principal its
trust admits, so sharing one would hand Redshift the engines' grants and them Spectrum's Glue read, and Redshift's
service trust would sit next to the web-identity one. Same merge rules as the read role: fedkit's statements
(Sids in `policies.MANAGED_SIDS`) are replaced in place, others are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.iam import aws_engine_policies as aep
from toolkit.iam import policies
from toolkit.iam.merge import merge_statements
from toolkit.iam.observed import ObservedRole
from toolkit.planning.actions import Action
from toolkit.planning.diff import json_diff

if TYPE_CHECKING:
    from toolkit.config import Config


def plan_spectrum_role(config: "Config", observed: ObservedRole) -> list[Action]:
    settings = aep.spectrum_role_settings(config)
    name = settings["RoleName"]
    trust = aep.spectrum_trust_statements(config)
    read = aep.spectrum_read_statements(config)
    policy_resource = f"iam_role_policy/{name}/{aep.SPECTRUM_INLINE_POLICY}"
    gold = f"s3://{config.gold.bucket}/{config.gold.prefix}"
    if not observed.exists:
        create = {**settings, "AssumeRolePolicyDocument": policies.policy(trust)}
        document = policies.policy(read)
        return [
            Action("aws", "create", f"iam_role/{name}",
                   f"create role {name} for Redshift Spectrum: trusts redshift.amazonaws.com for database users "
                   f"{', '.join(aep.spectrum_external_ids(config))} only (sts:ExternalId)",
                   diff=json_diff(None, create, f"iam_role/{name}"), payload={"op": "create_role", **create}),
            Action("aws", "create", policy_resource,
                   f"put inline policy {aep.SPECTRUM_INLINE_POLICY}: Glue read on {aep.glue_database(config)}, "
                   f"read {gold} only",
                   diff=json_diff(None, document, policy_resource),
                   payload={"op": "put_role_policy", "RoleName": name, "PolicyName": aep.SPECTRUM_INLINE_POLICY,
                            "PolicyDocument": document}),
        ]
    actions: list[Action] = []
    trust_merge = merge_statements(observed.trust, trust)
    if trust_merge.changed:
        resource = f"iam_role/{name}/trust_policy"
        actions.append(Action("aws", "update", resource, f"trust policy: {trust_merge.describe()}",
                              diff=json_diff(observed.trust, trust_merge.document, resource),
                              payload={"op": "update_assume_role_policy", "RoleName": name,
                                       "PolicyDocument": trust_merge.document}))
    before = {"MaxSessionDuration": observed.max_session_duration, "Description": observed.description}
    after = {"MaxSessionDuration": settings["MaxSessionDuration"], "Description": settings["Description"]}
    if before != after:
        changed = ", ".join(f"{k} {before[k]!r} -> {after[k]!r}" for k in after if before[k] != after[k])
        actions.append(Action("aws", "update", f"iam_role/{name}", f"role settings: {changed}",
                              diff=json_diff(before, after, f"iam_role/{name}"),
                              payload={"op": "update_role", "RoleName": name, **after}))
    tag = policies.MANAGED_TAG
    if observed.tags.get(tag["Key"]) != tag["Value"]:
        actions.append(Action("aws", "update", f"iam_role/{name}/tags", f"tag {tag['Key']}={tag['Value']}",
                              diff=json_diff(observed.tags, {**observed.tags, tag["Key"]: tag["Value"]},
                                             f"iam_role/{name}/tags"),
                              payload={"op": "tag_role", "RoleName": name, "Tags": [dict(tag)]}))
    read_merge = merge_statements(observed.inline_policy, read)
    if read_merge.changed:
        actions.append(Action("aws", "create" if observed.inline_policy is None else "update", policy_resource,
                              f"inline policy {aep.SPECTRUM_INLINE_POLICY}: {read_merge.describe()}",
                              diff=json_diff(observed.inline_policy, read_merge.document, policy_resource),
                              payload={"op": "put_role_policy", "RoleName": name,
                                       "PolicyName": aep.SPECTRUM_INLINE_POLICY,
                                       "PolicyDocument": read_merge.document}))
    return actions
