"""plan_role / plan_notifications are pure: (config, identities, observed) -> actions, pinned here."""

from __future__ import annotations

import copy

import pytest

from toolkit.config import Config
from toolkit.errors import UsageError
from toolkit.iam import policies
from toolkit.iam.notifications import NotificationConflict, entry_id
from toolkit.iam.observed import ObservedBucket, ObservedRole
from toolkit.iam.plan import plan_notifications, plan_role, role_warnings
from toolkit.planning.actions import Plan
from toolkit.planning.identities import Identities, SnowflakeTrust

CHANNEL = "arn:aws:sqs:us-east-1:999988887777:sf-snowpipe-AIDA"
FOREIGN = {"Sid": "Ops", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ops"},
           "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
KNOWN = Identities(bigquery="123456789012345678901",
                   snowflake=SnowflakeTrust("arn:aws:iam::999988887777:user/sf", "AB_SFCRole=1_x="),
                   sources={"bigquery": "flag", "snowflake": "config"})


def make(**notifications) -> Config:
    return Config.model_validate({
        "gold": {"bucket": "acme-gold", "tables": {"fact_sales": {}}},
        "aws": {"account_id": "111122223333", "region": "us-east-1", "role_name": "reader",
                "notifications": notifications},
        "bigquery": {"project": "acme-proj"}, "snowflake": {},
    })


def converged(config: Config, identities: Identities, extra_trust=()) -> ObservedRole:
    settings = policies.role_settings(config)
    trust = policies.trust_policy(config, identities)
    trust["Statement"] = [*extra_trust, *trust["Statement"]]
    return ObservedRole(exists=True, arn="arn:aws:iam::111122223333:role/reader", trust=trust,
                        max_session_duration=settings["MaxSessionDuration"], description=settings["Description"],
                        tags={"managed-by": "fedkit", "team": "data"}, inline_policy=policies.read_policy(config))


def test_from_nothing_creates_role_then_policy():
    actions = plan_role(make(), Identities(), ObservedRole())
    assert [(a.target, a.action, a.resource) for a in actions] == [
        ("aws", "create", "iam_role/reader"),
        ("aws", "create", "iam_role_policy/reader/fedkit-gold-read"),
    ]
    create = actions[0]
    assert create.payload["op"] == "create_role" and create.payload["MaxSessionDuration"] == 43200
    assert create.payload["AssumeRolePolicyDocument"] == policies.trust_policy(make(), Identities())
    assert "admits nobody" in create.detail and create.diff.startswith("--- /dev/null")
    assert Plan(tuple(actions)).to_json()["actions"][0] == {
        "target": "aws", "action": "create", "resource": "iam_role/reader", "detail": create.detail, "diff": create.diff}


def test_converged_role_plans_nothing():
    assert plan_role(make(), KNOWN, converged(make(), KNOWN, [FOREIGN])) == []


def test_identity_change_updates_only_that_statement_and_keeps_foreign():
    observed = converged(make(), KNOWN, [FOREIGN])
    changed = Identities(bigquery="999999999999999999999", snowflake=KNOWN.snowflake, sources={"bigquery": "engine"})
    (action,) = plan_role(make(), changed, observed)
    assert (action.action, action.resource) == ("update", "iam_role/reader/trust_policy")
    assert action.detail.startswith("trust policy: update FedkitBigQueryOmni (1 statement(s) not managed by fedkit kept)")
    doc = action.payload["PolicyDocument"]
    assert doc["Statement"][0] == FOREIGN
    before, after = observed.trust["Statement"], doc["Statement"]
    assert [i for i, (b, a) in enumerate(zip(before, after)) if b != a] == [1]
    assert "-          \"accounts.google.com:sub\": \"123456789012345678901\"" in action.diff
    assert "+          \"accounts.google.com:sub\": \"999999999999999999999\"" in action.diff


def test_drifted_settings_tags_and_policy_are_each_one_action():
    observed = converged(make(), KNOWN)
    policy = copy.deepcopy(observed.inline_policy)
    policy["Statement"][0]["Resource"] = "arn:aws:s3:::acme-gold/*"
    drifted = ObservedRole(**{**observed.__dict__, "max_session_duration": 3600, "tags": {"team": "data"},
                              "inline_policy": policy})
    actions = plan_role(make(), KNOWN, drifted)
    assert [(a.action, a.resource, a.payload["op"]) for a in actions] == [
        ("update", "iam_role/reader", "update_role"),
        ("update", "iam_role/reader/tags", "tag_role"),
        ("update", "iam_role_policy/reader/fedkit-gold-read", "put_role_policy"),
    ]
    assert "MaxSessionDuration 3600 -> 43200" in actions[0].detail
    assert actions[1].payload["Tags"] == [{"Key": "managed-by", "Value": "fedkit"}]


def test_notifications_wait_for_the_channel_then_add_the_queue():
    bucket = ObservedBucket(exists=True, notifications={})
    assert plan_notifications(make(), Identities(), bucket) == []
    (action,) = plan_notifications(make(), Identities(snowflake_channel=CHANNEL), bucket)
    assert (action.action, action.resource) == ("update", "s3_bucket_notification/acme-gold")
    queue = action.payload["NotificationConfiguration"]["QueueConfigurations"][0]
    assert queue["QueueArn"] == CHANNEL and queue["Id"] == entry_id(make(), "fact_sales")


def test_channel_in_another_region_is_refused():
    with pytest.raises(UsageError, match="is in eu-west-1, but the bucket is in aws.region us-east-1"):
        plan_notifications(make(), Identities(snowflake_channel=CHANNEL.replace("us-east-1", "eu-west-1")),
                           ObservedBucket())


def test_missing_bucket_is_explained_only_when_something_must_change():
    assert plan_notifications(make(), Identities(), ObservedBucket(exists=False)) == []
    with pytest.raises(UsageError, match="s3://acme-gold does not exist"):
        plan_notifications(make(), Identities(snowflake_channel=CHANNEL), ObservedBucket(exists=False))


def test_sns_topic_subscription_and_overlap():
    config = make(sns_topic="gold-uploads", email="data@example.com", snowflake_auto_refresh=False)
    actions = plan_notifications(config, Identities(), ObservedBucket(exists=True))
    assert [(a.action, a.resource) for a in actions] == [
        ("create", "sns_topic/gold-uploads"),
        ("create", "sns_subscription/gold-uploads/email"),
        ("update", "s3_bucket_notification/acme-gold"),
    ]
    with pytest.raises(NotificationConflict):
        plan_notifications(make(sns_topic="gold-uploads"), Identities(snowflake_channel=CHANNEL), ObservedBucket())


def test_own_google_oidc_provider_is_detected_and_explained():
    provider = "arn:aws:iam::111122223333:oidc-provider/accounts.google.com"
    (create, _) = plan_role(make(), Identities(), ObservedRole(google_oidc_provider=provider))
    assert f"own Google OIDC provider ({provider})" in create.detail and "audience" in create.detail


def test_own_google_oidc_provider_gets_the_bigquery_identity_as_an_audience_as_a_planned_action():
    provider = "arn:aws:iam::111122223333:oidc-provider/accounts.google.com"
    observed = converged(make(), KNOWN)
    observed = ObservedRole(**{**observed.__dict__, "google_oidc_provider": provider,
                               "google_oidc_audiences": ("some-client",)})
    (add,) = plan_role(make(), KNOWN, observed)
    assert (add.target, add.action, add.resource) == ("aws", "update", "iam_oidc_provider/accounts.google.com")
    assert add.payload == {"op": "add_client_id_to_open_id_connect_provider", "OpenIDConnectProviderArn": provider,
                           "ClientID": KNOWN.bigquery}
    assert KNOWN.bigquery in add.diff and "note:" not in add.detail
    done = ObservedRole(**{**observed.__dict__, "google_oidc_audiences": ("some-client", KNOWN.bigquery)})
    assert plan_role(make(), KNOWN, done) == []


def test_unknown_identity_keeps_the_one_already_trusted():
    """A run that did not read the engines (--target aws) must not revert a working trust to "admits nobody"."""
    observed = converged(make(), KNOWN, [FOREIGN])
    assert plan_role(make(), Identities(), observed) == []


def test_unknown_identity_still_fills_a_placeholder_statement_and_a_new_one_replaces_the_old():
    placeholder_role = converged(make(), Identities())
    (update,) = plan_role(make(), KNOWN, placeholder_role)
    assert update.resource == "iam_role/reader/trust_policy" and KNOWN.bigquery in str(update.payload["PolicyDocument"])
    newer = Identities(bigquery="999999999999999999999", snowflake=KNOWN.snowflake)
    (change,) = plan_role(make(), newer, converged(make(), KNOWN))
    assert "999999999999999999999" in str(change.payload["PolicyDocument"])
    assert KNOWN.bigquery not in str(change.payload["PolicyDocument"])


def test_unknown_channel_keeps_the_auto_refresh_queue_already_wired():
    """Without the channel this run (Snowflake not read), the existing fedkit-snowflake-* entries stay."""
    config = make()
    with_channel = Identities(snowflake_channel=CHANNEL)
    (add,) = plan_notifications(config, with_channel, ObservedBucket(notifications={}))
    wired = ObservedBucket(notifications=add.payload["NotificationConfiguration"])
    assert plan_notifications(config, Identities(), wired) == []


def test_pinned_config_identity_overridden_by_the_engine_is_called_stale():
    pinned = Config.model_validate({**make().model_dump(by_alias=True, exclude_none=True),
                                    "identities": {"bigquery": "111111111111111111111"}})
    engine = Identities(bigquery="222222222222222222222", sources={"bigquery": "engine"})
    (update,) = plan_role(pinned, engine, converged(pinned, Identities()))
    assert "note: identities.bigquery in the config differ from what is trusted now" in update.detail
    (agrees,) = plan_role(pinned, Identities(bigquery="111111111111111111111"), converged(pinned, Identities()))
    assert "identities.bigquery" not in agrees.detail


def test_bucket_in_another_region_than_aws_region_is_refused_before_any_change():
    with pytest.raises(UsageError, match=r"aws.region: 'us-east-1', but s3://acme-gold is in eu-west-1.*set aws.region: eu-west-1"):
        plan_notifications(make(), Identities(snowflake_channel=CHANNEL), ObservedBucket(region="eu-west-1"))
    assert plan_notifications(make(), Identities(), ObservedBucket(region="us-east-1")) == []


def test_a_clash_is_found_before_the_channel_exists_so_a_first_apply_stops_before_it_starts():
    """Snowflake's channel appears midway through the first apply; the clash must not wait until then."""
    with pytest.raises(NotificationConflict, match=f"'{entry_id(make(), 'fact_sales')}' and 'fedkit-gold-upload-alert'"):
        plan_notifications(make(sns_topic="gold-uploads"), Identities(), ObservedBucket())
    foreign = {"QueueConfigurations": [{"Id": "ops", "QueueArn": "arn:aws:sqs:us-east-1:111122223333:ops",
                                        "Events": ["s3:ObjectCreated:*"],
                                        "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "gold/"}]}}}]}
    with pytest.raises(NotificationConflict, match=f"'ops' and '{entry_id(make(), 'fact_sales')}'"):
        plan_notifications(make(), Identities(), ObservedBucket(notifications=foreign))
    assert plan_notifications(make(), Identities(), ObservedBucket()) == []  # no clash: nothing to do yet


def test_role_warnings_name_policies_fedkit_does_not_manage() -> None:
    config = make()
    clean = converged(config, KNOWN)
    assert plan_role(config, KNOWN, clean) == [] and role_warnings(config, clean) == []
    import dataclasses

    extra = dataclasses.replace(clean, attached_policies=("arn:aws:iam::aws:policy/AdministratorAccess",))
    assert plan_role(config, KNOWN, extra) == []  # left alone
    (warning,) = role_warnings(config, extra)
    assert warning.startswith("role reader also carries attached policy arn:aws:iam::aws:policy/AdministratorAccess")
    assert role_warnings(config, ObservedRole(exists=False)) == []
