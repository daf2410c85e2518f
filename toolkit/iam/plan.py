"""Pure planners for the AWS side: (config, identities, observed) -> actions. No I/O; golden-testable.

Each action's `payload` holds exactly what the applier sends (`op` names the boto3 call), `diff` a unified diff
of the JSON documents, and `detail` one human line. The JSON shape (`Action.to_json`) is the public contract.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from toolkit.errors import UsageError
from toolkit.iam import notifications as notif
from toolkit.iam import policies
from toolkit.iam.bucket_region import check_bucket_region
from toolkit.iam.merge import merge_statements, statements_of
from toolkit.iam.observed import ObservedBucket, ObservedRole
from toolkit.iam.trust_admits import foreign_statements
from toolkit.planning.actions import Action
from toolkit.planning.diff import json_diff

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.planning.identities import Identities


def _trust_note(config: "Config", identities: "Identities") -> str:
    notes = []
    if config.bigquery is not None:
        src = identities.sources.get("bigquery")
        notes.append(f"{policies.SID_BIGQUERY} " + (f"trusts the connection identity ({src})" if identities.bigquery
                                                    else "admits nobody until the connection identity is known"))
    if config.snowflake is not None:
        src = identities.sources.get("snowflake")
        notes.append(f"{policies.SID_SNOWFLAKE} " + (f"trusts the integration's IAM user ({src})" if identities.snowflake
                                                     else "admits nobody until the integration identity is known"))
    return "; ".join(notes) + _stale_config_note(config, identities)


def _stale_config_note(config: "Config", identities: "Identities") -> str:
    """A pinned `identities:` value that the engine (or a flag) overrides is stale: say so, or iam/ drifts silently."""
    from toolkit.planning.identities import PRINCIPAL_KEYS, from_config

    pinned = from_config(config)
    stale = [f"identities.{key}" for key in PRINCIPAL_KEYS
             if getattr(pinned, key) is not None and getattr(identities, key) not in (None, getattr(pinned, key))]
    if not stale:
        return ""
    return (f"; note: {' and '.join(stale)} in the config differ from what is trusted now: update the config, then "
            "`fedkit iam generate`")


def _oidc_note(config: "Config", identities: "Identities", observed: ObservedRole) -> str:
    if config.bigquery is None or not observed.google_oidc_provider or identities.bigquery:
        return ""  # a known identity is added by its own action (`_oidc_audience`)
    return (
        f"; note: this account has its own Google OIDC provider ({observed.google_oidc_provider}): the BigQuery "
        "connection identity is added to it as an audience once the connection exists (apply does it)"
    )


def _oidc_audience(config: "Config", identities: "Identities", observed: ObservedRole) -> list[Action]:
    """An account with its own `accounts.google.com` OIDC provider validates Google tokens against that provider's
    audiences, so the connection identity must be one of them (Google: "Configure a custom AWS identity provider",
    https://cloud.google.com/bigquery/docs/omni-aws-create-connection; AWS:
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddClientIDToOpenIDConnectProvider.html)."""
    provider, identity = observed.google_oidc_provider, identities.bigquery
    if config.bigquery is None or not provider or not identity or identity in observed.google_oidc_audiences:
        return []
    before = {"ClientIDList": list(observed.google_oidc_audiences)}
    resource = "iam_oidc_provider/accounts.google.com"
    return [Action(
        "aws", "update", resource,
        f"add the BigQuery connection identity {identity} as an audience of this account's Google OIDC provider "
        f"{provider} (other audiences kept)",
        diff=json_diff(before, {"ClientIDList": [*before["ClientIDList"], identity]}, resource),
        payload={"op": "add_client_id_to_open_id_connect_provider", "OpenIDConnectProviderArn": provider,
                 "ClientID": identity},
    )]


def role_warnings(config: "Config", observed: ObservedRole) -> list[str]:
    """What fedkit leaves alone on an existing role but a reviewer must know, said on every plan (in this order):

    - the role was not created by fedkit (no managed-by tag): apply takes it over;
    - its trust admits principals fedkit does not manage: they can assume it and read the gold prefix;
    - it carries policies fedkit does not manage: whoever assumes it (BigQuery Omni, Snowflake) gets them too, so
      the role may read more than the gold prefix.
    """
    if not observed.exists:
        return []
    name = policies.role_settings(config)["RoleName"]
    gold = f"s3://{config.gold.bucket}/{config.gold.prefix}"
    warnings = []
    tag = policies.MANAGED_TAG
    if observed.tags.get(tag["Key"]) != tag["Value"]:
        warnings.append(
            f"role {name} exists and was not created by fedkit: apply will manage its trust and inline policy "
            f"{policies.INLINE_POLICY_NAME} (and its description, session duration and {tag['Key']}={tag['Value']} "
            "tag; its other trust statements and policies are kept); check that this is the role you meant")
    foreign = foreign_statements(observed.trust)
    if foreign:
        admitted = "; ".join(f"{', '.join(principals)} (statement {sid or 'without Sid'}, not managed by fedkit)"
                             for sid, principals in foreign)
        warnings.append(f"role {name}'s trust also admits {admitted}: whoever it admits can assume the role and read "
                        f"{gold}; remove those statements unless they are meant")
    extra = [*(f"inline policy {n}" for n in observed.other_inline_policies),
             *(f"attached policy {arn}" for arn in observed.attached_policies)]
    if extra:
        warnings.append(f"role {name} also carries {', '.join(extra)} (not managed by fedkit): the engines that "
                        f"assume it get those permissions too, beyond {gold}; remove them unless they are meant")
    return warnings


def keep_known_identities(desired: list[dict], observed_trust: dict | None) -> list[dict]:
    """Never trade an identity the role already trusts for a placeholder.

    An identity is unknown in a run that did not read it (`--target aws`, or an engine without credentials here);
    that must not revert a working trust to "admits nobody". Removing an engine from the config still removes its
    statement, and a newly read identity still replaces the old one.
    """
    import json

    placeholders = (policies.BIGQUERY_PLACEHOLDER, policies.SNOWFLAKE_PLACEHOLDER)
    current = {s.get("Sid"): s for s in statements_of(observed_trust)}
    kept = []
    for statement in desired:
        text = json.dumps(statement)
        existing = current.get(statement.get("Sid"))
        if existing is not None and any(p in text for p in placeholders) and not any(p in json.dumps(existing) for p in placeholders):
            kept.append(existing)
        else:
            kept.append(statement)
    return kept


def plan_role(config: "Config", identities: "Identities", observed: ObservedRole) -> list[Action]:
    check_bucket_region(config, observed.bucket_region)
    settings = policies.role_settings(config)
    name = settings["RoleName"]
    desired_trust = keep_known_identities(policies.trust_statements(config, identities), observed.trust)
    desired_read = statements_of(policies.read_policy(config))
    actions: list[Action] = []
    policy_resource = f"iam_role_policy/{name}/{policies.INLINE_POLICY_NAME}"

    if not observed.exists:
        trust = policies.policy(desired_trust)
        create = {**settings, "AssumeRolePolicyDocument": trust}
        actions.append(Action(
            "aws", "create", f"iam_role/{name}",
            f"create role {name} (max session {settings['MaxSessionDuration']} s, tag managed-by=fedkit); "
            + _trust_note(config, identities) + _oidc_note(config, identities, observed),
            diff=json_diff(None, create, f"iam_role/{name}"),
            payload={"op": "create_role", **create},
        ))
        read = policies.policy(desired_read)
        actions.append(Action(
            "aws", "create", policy_resource,
            f"put inline policy {policies.INLINE_POLICY_NAME}: read s3://{config.gold.bucket}/{config.gold.prefix} only",
            diff=json_diff(None, read, policy_resource),
            payload={"op": "put_role_policy", "RoleName": name, "PolicyName": policies.INLINE_POLICY_NAME,
                     "PolicyDocument": read},
        ))
        return actions + _oidc_audience(config, identities, observed)

    trust_merge = merge_statements(observed.trust, desired_trust)
    if trust_merge.changed:
        resource = f"iam_role/{name}/trust_policy"
        kept = sum(1 for s in statements_of(observed.trust) if not policies.is_managed(s))
        actions.append(Action(
            "aws", "update", resource,
            f"trust policy: {trust_merge.describe()} ({kept} statement(s) not managed by fedkit kept); "
            + _trust_note(config, identities) + _oidc_note(config, identities, observed),
            diff=json_diff(observed.trust, trust_merge.document, resource),
            payload={"op": "update_assume_role_policy", "RoleName": name, "PolicyDocument": trust_merge.document},
        ))

    before = {"MaxSessionDuration": observed.max_session_duration, "Description": observed.description}
    after = {"MaxSessionDuration": settings["MaxSessionDuration"], "Description": settings["Description"]}
    if before != after:
        changed = ", ".join(f"{k} {before[k]!r} -> {after[k]!r}" for k in after if before[k] != after[k])
        actions.append(Action(
            "aws", "update", f"iam_role/{name}", f"role settings: {changed}",
            diff=json_diff(before, after, f"iam_role/{name}"),
            payload={"op": "update_role", "RoleName": name, **after},
        ))

    tag = policies.MANAGED_TAG
    if observed.tags.get(tag["Key"]) != tag["Value"]:
        actions.append(Action(
            "aws", "update", f"iam_role/{name}/tags", f"tag {tag['Key']}={tag['Value']} (other tags kept)",
            diff=json_diff(observed.tags, {**observed.tags, tag["Key"]: tag["Value"]}, f"iam_role/{name}/tags"),
            payload={"op": "tag_role", "RoleName": name, "Tags": [dict(tag)]},
        ))

    read_merge = merge_statements(observed.inline_policy, desired_read)
    if read_merge.changed:
        verb = "create" if observed.inline_policy is None else "update"
        actions.append(Action(
            "aws", verb, policy_resource,
            f"inline policy {policies.INLINE_POLICY_NAME}: {read_merge.describe()}",
            diff=json_diff(observed.inline_policy, read_merge.document, policy_resource),
            payload={"op": "put_role_policy", "RoleName": name, "PolicyName": policies.INLINE_POLICY_NAME,
                     "PolicyDocument": read_merge.document},
        ))
    return actions + _oidc_audience(config, identities, observed)


def _region_of(arn: str) -> str:
    return arn.split(":")[3]


def check_channel_region(config: "Config", channel: str | None) -> str | None:
    """S3 notifies only queues in the bucket's region: refuse a channel elsewhere (UsageError, exit 2)."""
    aws = policies.require_aws(config)
    if channel and _region_of(channel) != aws.region:
        raise UsageError(
            f"snowflake notification channel {channel!r} is in {_region_of(channel)}, but the bucket is in "
            f"aws.region {aws.region}; S3 only notifies queues in the bucket's region"
        )
    return channel


def plan_notifications(
    config: "Config",
    identities: "Identities",
    observed: ObservedBucket,
    auto_refresh_tables: tuple[tuple[str, str], ...] | None = None,
    auto_refresh_channels: dict[str, str] | None = None,
    predict_channel: bool = False,
    kept_tables: tuple[str, ...] = (),
) -> list[Action]:
    """`auto_refresh_tables`: (name, key prefix) of the external tables Snowflake refreshes, when read this run;
    `auto_refresh_channels`: table -> its own notification channel (SHOW EXTERNAL TABLES), when read this run;
    `predict_channel`: `fedkit plan` on a run that creates those tables: show the wiring with the queue as "known
    after the external tables exist" (apply plans it again with the real queue);
    `kept_tables`: orphan tables not pruned this run, whose wired entries stay (`notifications.desired_entries`)."""
    aws = policies.require_aws(config)
    bucket = config.gold.bucket
    check_bucket_region(config, observed.region)
    actions: list[Action] = []
    # A channel not read this run (--target aws, no Snowflake credentials here) keeps the one already wired.
    channel = check_channel_region(config, identities.snowflake_channel) or notif.observed_snowflake_channel(
        observed.notifications, config.gold.prefix
    )
    topic_arn = policies.sns_topic_arn(config)
    if topic_arn:
        topic_name = aws.notifications.sns_topic
        ours = policies.sns_topic_policy_statements(config)
        if observed.topic is None:
            document = policies.policy(ours)
            actions.append(Action(
                "aws", "create", f"sns_topic/{topic_name}",
                f"create SNS topic {topic_name} for gold upload alerts; only S3 events from {bucket} may publish",
                diff=json_diff(None, document, f"sns_topic/{topic_name}/policy"),
                payload={"op": "create_topic", "Name": topic_name, "Policy": document,
                         "Tags": [dict(policies.MANAGED_TAG)]},
            ))
        else:
            merged = merge_statements(observed.topic.policy, ours)
            if merged.changed:
                actions.append(Action(
                    "aws", "update", f"sns_topic/{topic_name}/policy", f"topic policy: {merged.describe()}",
                    diff=json_diff(observed.topic.policy, merged.document, f"sns_topic/{topic_name}/policy"),
                    payload={"op": "set_topic_policy", "TopicArn": topic_arn, "Policy": merged.document},
                ))
        email = aws.notifications.email
        if email and (observed.topic is None or email not in observed.topic.email_endpoints):
            actions.append(Action(
                "aws", "create", f"sns_subscription/{topic_name}/email",
                f"subscribe {email} to {topic_name} (AWS e-mails a confirmation link)",
                payload={"op": "subscribe_email", "TopicArn": topic_arn, "Endpoint": email},
            ))

    if channel is None and config.snowflake is not None and aws.notifications.snowflake_auto_refresh:
        # The channel exists only once Snowflake's external tables do (midway through a first apply). Check now, with
        # a stand-in queue, that their entries will fit next to the others, so a clash stops apply before it starts.
        pending = notif.desired_entries(config, notif.pending_channel(aws.region), auto_refresh_tables,
                                        observed.notifications, channel_wins=True, kept=kept_tables)
        pending_document = notif.merge_notifications(observed.notifications, pending, config.gold.prefix).document
        notif.check_overlaps(pending_document, bucket)
        notif.check_queue_limit(pending_document, bucket, len(pending["QueueConfigurations"]))
        if predict_channel:
            channel = notif.pending_channel(aws.region)
    predicted = channel is not None and channel == notif.pending_channel(aws.region)
    flag_wins = identities.sources.get("snowflake_channel") == "flag"
    desired = notif.desired_entries(config, channel, auto_refresh_tables, observed.notifications,
                                    auto_refresh_channels, channel_wins=flag_wins, kept=kept_tables)
    merged_n = notif.merge_notifications(observed.notifications, desired, config.gold.prefix)
    if merged_n.changed:
        notif.check_overlaps(merged_n.document, bucket)
        notif.check_queue_limit(merged_n.document, bucket, len(desired["QueueConfigurations"]))
        if not observed.exists:
            raise UsageError(f"s3://{bucket} does not exist; publish the gold layer first (fedkit gold publish)")
        resource = f"s3_bucket_notification/{bucket}"
        kept = sum(
            1 for key, _ in notif.KINDS for e in notif.clean(observed.notifications).get(key, [])
            if not notif.owns(e, config.gold.prefix)
        )
        actions.append(Action(
            "aws", "update", resource,
            f"bucket notifications: {merged_n.describe()} ({kept} entr{'y' if kept == 1 else 'ies'} not managed by fedkit kept)",
            diff=json_diff(notif.clean(observed.notifications), merged_n.document, resource),
            # What the plan saw and wants, so apply can re-read right before the PUT (which replaces the whole
            # configuration) and merge again if another writer changed it meanwhile.
            payload={"op": "put_bucket_notification_configuration", "Bucket": bucket,
                     "NotificationConfiguration": merged_n.document, "Observed": notif.clean(observed.notifications),
                     "Desired": desired, "Prefix": config.gold.prefix},
        ))
        if predicted:
            from toolkit.iam.predicted import KNOWN_AFTER_TABLES, mark_predicted

            last = actions.pop()
            actions += mark_predicted([replace(
                last, detail=f"{last.detail}; Snowflake's queue is {KNOWN_AFTER_TABLES}",
                diff=last.diff.replace(channel, KNOWN_AFTER_TABLES))])
    return actions
