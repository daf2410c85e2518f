"""Plan and apply against moto's server with real boto3: converge, merge, tighten, survive faults."""

from __future__ import annotations

import json

import pytest

from toolkit.aws import aws_client
from toolkit.iam.notifications import entry_id
from toolkit.planning.pipeline import ApplyFailed, apply_all, plan_all

from .conftest import BQ_ID, BUCKET, CHANNEL, SF_ARN, Faults

ROLE = "fedkit-it-reader"
ALL_IDS = [f"bigquery={BQ_ID}", f"snowflake={SF_ARN},AB_SFCRole=1_x=", f"snowflake_channel={CHANNEL}"]
FOREIGN_TRUST = {"Sid": "OpsBreakGlass", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/ops"},
                 "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
FOREIGN_NOTIFICATION = {"Id": "raw-ingest", "QueueArn": "arn:aws:sqs:us-east-1:123456789012:raw-ingest",
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "raw/"}]}}}


def trust() -> dict:
    return aws_client("iam").get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]


def notifications() -> dict:
    config = aws_client("s3").get_bucket_notification_configuration(Bucket=BUCKET)
    config.pop("ResponseMetadata", None)
    return config


def test_apply_from_nothing_then_again_changes_nothing(it_env):
    ctx = it_env()
    report = apply_all(ctx)
    assert [a.resource for a in report.done] == [f"iam_role/{ROLE}", f"iam_role_policy/{ROLE}/fedkit-gold-read"]
    role = aws_client("iam").get_role(RoleName=ROLE)["Role"]
    assert role["MaxSessionDuration"] == 43200
    assert {"Key": "managed-by", "Value": "fedkit"} in aws_client("iam").list_role_tags(RoleName=ROLE)["Tags"]
    assert [s["Sid"] for s in trust()["Statement"]] == ["FedkitBigQueryOmni", "FedkitSnowflake"]
    policy = aws_client("iam").get_role_policy(RoleName=ROLE, PolicyName="fedkit-gold-read")["PolicyDocument"]
    assert policy["Statement"][0]["Resource"] == f"arn:aws:s3:::{BUCKET}/gold/*"
    assert plan_all(it_env()).empty
    assert apply_all(it_env()).done == []


def test_handshake_tightens_trust_and_adds_notifications_then_converges(it_env):
    apply_all(it_env())
    report = apply_all(it_env(ALL_IDS))
    assert [a.resource for a in report.done] == [f"iam_role/{ROLE}/trust_policy", f"s3_bucket_notification/{BUCKET}"]
    bq, sf = trust()["Statement"]
    assert bq["Condition"]["StringEquals"]["accounts.google.com:sub"] == BQ_ID
    assert sf["Principal"]["AWS"] == SF_ARN and sf["Condition"]["StringEquals"]["sts:ExternalId"] == "AB_SFCRole=1_x="
    ids = sorted(q["Id"] for q in notifications()["QueueConfigurations"])
    config = it_env(ALL_IDS).config
    assert ids == [entry_id(config, "dim_customer"), entry_id(config, "fact_sales")]
    assert plan_all(it_env(ALL_IDS)).empty


def test_foreign_trust_statement_and_bucket_notification_are_preserved(it_env):
    apply_all(it_env())
    iam = aws_client("iam")
    doc = trust()
    doc["Statement"].insert(0, FOREIGN_TRUST)
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(doc))
    aws_client("s3").put_bucket_notification_configuration(
        Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": [FOREIGN_NOTIFICATION]})

    apply_all(it_env(ALL_IDS))
    statements = trust()["Statement"]
    assert statements[0] == FOREIGN_TRUST
    assert [s["Sid"] for s in statements] == ["OpsBreakGlass", "FedkitBigQueryOmni", "FedkitSnowflake"]
    queues = notifications()["QueueConfigurations"]
    assert queues[0]["Id"] == "raw-ingest" and queues[0]["QueueArn"] == FOREIGN_NOTIFICATION["QueueArn"]
    assert len(queues) == 3
    assert plan_all(it_env(ALL_IDS)).empty


def test_identity_change_updates_only_that_statement(it_env):
    apply_all(it_env(ALL_IDS))
    before = trust()["Statement"]
    new_ids = [f"bigquery={'9' * 21}", *ALL_IDS[1:]]
    plan = plan_all(it_env(new_ids))
    assert [(a.action, a.resource) for a in plan.actions] == [("update", f"iam_role/{ROLE}/trust_policy")]
    assert plan.actions[0].detail.startswith("trust policy: update FedkitBigQueryOmni (0 statement(s)")
    apply_all(it_env(new_ids))
    after = trust()["Statement"]
    assert after[1] == before[1]
    assert after[0]["Condition"]["StringEquals"]["accounts.google.com:sub"] == "9" * 21


def test_sns_alert_topic_with_email_subscription(it_env):
    ctx = it_env(sns_topic="gold-uploads", email="data@example.com", snowflake_auto_refresh=False)
    apply_all(ctx)
    sns = aws_client("sns")
    arn = "arn:aws:sns:us-east-1:123456789012:gold-uploads"
    policy = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["FedkitS3PublishGoldUploads"]
    subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subs] == [("email", "data@example.com")]
    (topic_entry,) = notifications()["TopicConfigurations"]
    assert topic_entry["Id"] == "fedkit-gold-upload-alert" and topic_entry["TopicArn"] == arn
    assert plan_all(it_env(sns_topic="gold-uploads", email="data@example.com", snowflake_auto_refresh=False)).empty


def test_throttling_is_retried_by_botocore_then_succeeds(it_env):
    faults = Faults()
    faults.fail("iam", "CreateRole", "Throttling", "Rate exceeded", status=400, times=1)
    faults.fail("iam", "GetRole", "ThrottlingException", "Rate exceeded", status=400, times=1)
    report = apply_all(it_env(client_factory=faults))
    assert len(report.done) == 2
    assert faults.calls.count("iam:CreateRole") == 2 and faults.calls.count("iam:GetRole") >= 2


STEPS = [
    # (operation, service, state before, flags, step named in the message, permission)
    ("GetRole", "iam", None, [], f"observe iam_role/{ROLE}", "iam:GetRole"),
    ("CreateRole", "iam", None, [], f"create iam_role/{ROLE}", "iam:CreateRole"),
    ("PutRolePolicy", "iam", None, [], f"create iam_role_policy/{ROLE}/fedkit-gold-read", "iam:PutRolePolicy"),
    ("UpdateAssumeRolePolicy", "iam", "applied", ALL_IDS, f"update iam_role/{ROLE}/trust_policy",
     "iam:UpdateAssumeRolePolicy"),
    ("GetBucketNotificationConfiguration", "s3", "applied", ALL_IDS, f"observe s3_bucket_notification/{BUCKET}",
     "s3:GetBucketNotification"),
    ("PutBucketNotificationConfiguration", "s3", "applied", ALL_IDS, f"update s3_bucket_notification/{BUCKET}",
     "s3:PutBucketNotification"),
]


@pytest.mark.parametrize("operation, service, state, flags, step, permission", STEPS, ids=[s[0] for s in STEPS])
def test_access_denied_names_step_and_permission_and_rerun_converges(
    it_env, operation, service, state, flags, step, permission
):
    if state == "applied":
        apply_all(it_env())
    faults = Faults()
    message = (f"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: {permission} on resource: x"
               if service == "iam" else "Access Denied")
    faults.fail(service, operation, "AccessDenied", message, status=403, times=99)
    with pytest.raises(ApplyFailed) as err:
        apply_all(it_env(flags, client_factory=faults))
    text = err.value.message
    assert text.startswith(f"{step}: AccessDenied: missing permission {permission}")
    assert "\n" not in text and err.value.exit_code == 1
    failed = err.value.report.failed  # "observe <target>" for reads, "<verb> <resource>" for changes
    assert failed == step or (step.startswith("observe") and failed.startswith("observe"))
    assert apply_all(it_env(flags)).failed is None
    assert plan_all(it_env(flags)).empty


def test_access_denied_midway_reports_steps_done(it_env):
    faults = Faults()
    faults.fail("iam", "PutRolePolicy", "AccessDenied", "denied", status=403, times=99)
    with pytest.raises(ApplyFailed) as err:
        apply_all(it_env(client_factory=faults))
    assert [a.resource for a in err.value.report.done] == [f"iam_role/{ROLE}"]
    assert f"steps done before the failure: create iam_role/{ROLE}" in err.value.message
    plan = plan_all(it_env())
    assert [(a.action, a.resource) for a in plan.actions] == [("create", f"iam_role_policy/{ROLE}/fedkit-gold-read")]


def test_propagation_delay_is_retried_with_a_bounded_waiter(it_env):
    faults = Faults()
    faults.fail("iam", "PutRolePolicy", "NoSuchEntity", "Role not found", status=404, times=2)
    assert len(apply_all(it_env(client_factory=faults)).done) == 2
    assert faults.calls.count("iam:PutRolePolicy") == 3


def test_propagation_timeout_message_is_clear(it_env):
    faults = Faults()
    faults.fail("iam", "PutRolePolicy", "NoSuchEntity", "Role not found", status=404, times=99)
    with pytest.raises(ApplyFailed, match=r"still NoSuchEntity after 3 attempts.*rerun `fedkit apply`"):
        apply_all(it_env(client_factory=faults))


def test_existing_google_oidc_provider_is_reported_in_the_plan(it_env):
    aws_client("iam").create_open_id_connect_provider(
        Url="https://accounts.google.com", ClientIDList=["some-client"], ThumbprintList=["a" * 40])
    plan = plan_all(it_env())
    assert "oidc-provider/accounts.google.com" in plan.actions[0].detail


def test_existing_google_oidc_provider_gets_the_connection_identity_as_an_audience(it_env):
    """moto keeps OIDC providers but answers AddClientIDToOpenIDConnectProvider with a 500 (not implemented): that one
    request is answered here at the HTTP layer, after botocore built it (its parameters are pinned), and applied to
    the in-process moto backend the way IAM would, so the re-observation and the next plan see it."""
    from urllib.parse import parse_qs

    from botocore.awsrequest import AWSResponse

    from .conftest import _Raw

    iam = aws_client("iam")
    arn = iam.create_open_id_connect_provider(
        Url="https://accounts.google.com", ClientIDList=["some-client"], ThumbprintList=["a" * 40])[
        "OpenIDConnectProviderArn"]
    apply_all(it_env())
    plan = plan_all(it_env(ALL_IDS))
    (add,) = [a for a in plan.actions if a.resource == "iam_oidc_provider/accounts.google.com"]
    assert BQ_ID in add.detail and arn in add.detail
    sent: list[dict] = []

    def factory(service: str):
        client = aws_client(service, region="us-east-1")

        def answer(request, **kwargs):
            if kwargs["event_name"].endswith(".AddClientIDToOpenIDConnectProvider"):
                params = parse_qs(request.body.decode() if isinstance(request.body, bytes) else request.body)
                sent.append(params)
                from moto.iam.models import iam_backends

                provider = iam_backends["123456789012"]["aws"].open_id_providers[params["OpenIDConnectProviderArn"][0]]
                provider.client_id_list.append(params["ClientID"][0])
                body = b"<AddClientIDToOpenIDConnectProviderResponse><ResponseMetadata><RequestId>1</RequestId>" \
                       b"</ResponseMetadata></AddClientIDToOpenIDConnectProviderResponse>"
                return AWSResponse(request.url, 200, {"Content-Type": "text/xml"}, _Raw(body))
            return None

        client.meta.events.register(f"before-send.{client.meta.service_model.service_id.hyphenize()}", answer)
        return client

    report = apply_all(it_env(ALL_IDS, client_factory=factory))
    assert "iam_oidc_provider/accounts.google.com" in [a.resource for a in report.done]
    assert sent == [{"Action": ["AddClientIDToOpenIDConnectProvider"], "Version": ["2010-05-08"],
                     "OpenIDConnectProviderArn": [arn], "ClientID": [BQ_ID]}]
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["some-client", BQ_ID]
    assert plan_all(it_env(ALL_IDS)).empty


def _drift_role_settings() -> None:
    iam = aws_client("iam")
    iam.update_role(RoleName=ROLE, MaxSessionDuration=3600)
    iam.untag_role(RoleName=ROLE, TagKeys=["managed-by"])


ALERT = {"sns_topic": "gold-uploads", "email": "data@example.com", "snowflake_auto_refresh": False}
MORE_STEPS = [
    # (operation, service, out-of-band change before, notifications config, step, permission)
    ("UpdateRole", "iam", _drift_role_settings, {}, f"update iam_role/{ROLE}", "iam:UpdateRole"),
    ("TagRole", "iam", _drift_role_settings, {}, f"update iam_role/{ROLE}/tags", "iam:TagRole"),
    ("ListOpenIDConnectProviders", "iam", None, {}, "observe IAM OIDC providers", "iam:ListOpenIDConnectProviders"),
    ("CreateTopic", "sns", None, ALERT, "create sns_topic/gold-uploads", "sns:CreateTopic"),
    ("Subscribe", "sns", None, ALERT, "create sns_subscription/gold-uploads/email", "sns:Subscribe"),
]


@pytest.mark.parametrize("operation, service, before, notif, step, permission", MORE_STEPS, ids=[s[0] for s in MORE_STEPS])
def test_access_denied_on_settings_tags_and_alert_steps_then_rerun_converges(
    it_env, operation, service, before, notif, step, permission
):
    apply_all(it_env())
    if before is not None:
        before()
    faults = Faults()
    faults.fail(service, operation, "AuthorizationError" if service == "sns" else "AccessDenied",
                f"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: {permission} on resource: x",
                status=403, times=99)
    with pytest.raises(ApplyFailed) as err:
        apply_all(it_env(client_factory=faults, **notif))
    assert err.value.message.startswith(f"{step}: ")
    assert f"missing permission {permission}" in err.value.message and err.value.exit_code == 1
    assert apply_all(it_env(**notif)).failed is None
    assert plan_all(it_env(**notif)).empty
    role = aws_client("iam").get_role(RoleName=ROLE)["Role"]
    assert role["MaxSessionDuration"] == 43200


def test_bucket_region_mismatch_stops_before_anything_changes(it_env, tmp_path):
    import yaml

    from toolkit.config import load_config
    from toolkit.errors import UsageError
    from toolkit.planning.identities import parse_identity_flags
    from toolkit.planning.pipeline import Context

    from .conftest import config_data

    aws_client("s3", region="eu-west-1").create_bucket(
        Bucket="fedkit-it-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    data = config_data()
    data["gold"]["bucket"] = "fedkit-it-eu"  # aws.region stays us-east-1
    data.pop("bigquery")  # an Omni location would pin the region in the config already
    (tmp_path / "eu.yaml").write_text(yaml.safe_dump(data))
    ctx = Context(loaded=load_config(tmp_path / "eu.yaml"), flags=parse_identity_flags(ALL_IDS[1:]))
    with pytest.raises(UsageError, match=r"s3://fedkit-it-eu is in eu-west-1.*set aws.region: eu-west-1") as err:
        plan_all(ctx)
    assert err.value.exit_code == 2


def test_policies_fedkit_does_not_manage_are_kept_and_warned_about(it_env):
    apply_all(it_env())
    iam = aws_client("iam")
    other_bucket = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other-bucket/*"}]})
    broad = iam.create_policy(PolicyName="team-s3-read", PolicyDocument=other_bucket)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=ROLE, PolicyArn=broad)
    iam.put_role_policy(RoleName=ROLE, PolicyName="legacy-read", PolicyDocument=other_bucket)
    plan = plan_all(it_env())
    assert plan.empty  # kept as they are: fedkit never removes what it does not manage
    (warning,) = plan.warnings
    assert "inline policy legacy-read" in warning and f"attached policy {broad}" in warning
    assert f"beyond s3://{BUCKET}/gold/" in warning
    assert plan.to_json() == {"actions": [], "warnings": [warning]}
    iam.detach_role_policy(RoleName=ROLE, PolicyArn=broad)
    iam.delete_role_policy(RoleName=ROLE, PolicyName="legacy-read")
    assert plan_all(it_env()).to_json() == {"actions": []}  # the key appears only when there is something to say


def test_snowflake_channel_pinned_in_the_config_wires_notifications_and_a_flag_overrides_it(it_env, tmp_path):
    """`identities.snowflake_channel` was only available as a flag: pinned in the config, apply uses it."""
    import yaml

    from toolkit.config import load_config

    def pinned(flags: list[str] = ()):
        ctx = it_env(flags)  # writes the fixture's config: pin the channel in it
        path = tmp_path / "federation.yaml"
        path.write_text(yaml.safe_dump({**yaml.safe_load(path.read_text()), "identities": {"snowflake_channel": CHANNEL}}))
        ctx.loaded = load_config(path)
        return ctx

    apply_all(it_env())
    report = apply_all(pinned())
    assert [a.resource for a in report.done] == [f"s3_bucket_notification/{BUCKET}"]
    assert {q["QueueArn"] for q in notifications()["QueueConfigurations"]} == {CHANNEL}
    assert plan_all(pinned()).empty

    other = CHANNEL.rsplit(":", 1)[0] + ":another-queue"
    apply_all(pinned([f"snowflake_channel={other}"]))
    assert {q["QueueArn"] for q in notifications()["QueueConfigurations"]} == {other}


def test_bucket_outside_the_omni_location_region_is_refused_without_notifications(tmp_path, it_env):
    """The bucket's real region is checked in every configuration, not only when notifications are wired."""
    import yaml

    from toolkit.config import load_config
    from toolkit.errors import UsageError
    from toolkit.planning.pipeline import Context

    from .conftest import config_data

    aws_client("s3", region="eu-west-1").create_bucket(
        Bucket="fedkit-it-eu2", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    data = config_data(snowflake_auto_refresh=False)  # no notification target at all
    data["gold"]["bucket"] = "fedkit-it-eu2"
    (tmp_path / "omni.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(UsageError) as err:
        plan_all(Context(loaded=load_config(tmp_path / "omni.yaml")))
    assert err.value.exit_code == 2
    assert err.value.message == (
        "aws.region: 'us-east-1', but s3://fedkit-it-eu2 is in eu-west-1; BigQuery Omni location aws-us-east-1 reads "
        "buckets in us-east-1 only: move the gold layer to a bucket in us-east-1, or use the Omni location of "
        "eu-west-1 (aws-eu-west-1) and set aws.region: eu-west-1")
    with pytest.raises(Exception):
        aws_client("iam").get_role(RoleName=ROLE)
