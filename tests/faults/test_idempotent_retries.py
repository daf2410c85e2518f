"""A call whose effect happened but whose answer was lost is retried by botocore and finds its own effect: apply
continues when the object is fedkit's, and stops with one clear line when it is someone else's."""

from __future__ import annotations

import json

import pytest
import yaml

from toolkit.planning import pipeline
from toolkit.planning.pipeline import ApplyFailed, Context, apply_all, plan_all

ROLE = "fedkit-faults-reader"
BUCKET = "fedkit-faults-gold"
IAM_TARGETS = ["toolkit.iam.role_target:RoleTarget", "toolkit.iam.notification_target:NotificationTarget"]


@pytest.fixture
def context(fault_proxy, tmp_path, monkeypatch):
    from toolkit.aws import aws_client
    from toolkit.config import load_config

    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setattr(pipeline, "TARGETS", list(IAM_TARGETS))
    aws_client("s3").create_bucket(Bucket=BUCKET)
    path = tmp_path / "federation.yaml"
    path.write_text(yaml.safe_dump({
        "gold": {"bucket": BUCKET, "tables": {"fact_sales": {}}},
        "aws": {"account_id": "123456789012", "region": "us-east-1", "role_name": ROLE},
        "bigquery": {"project": "fedkit-faults"},
    }))

    def make() -> Context:
        return Context(loaded=load_config(path), sleep=lambda s: None, propagation_attempts=3, propagation_delay=0)

    return make


def test_create_role_whose_answer_was_lost_continues_and_converges(fault_proxy, context):
    fault_proxy.fail("iam:CreateRole", "lost")
    report = apply_all(context())
    assert [a.resource for a in report.done] == [f"iam_role/{ROLE}", f"iam_role_policy/{ROLE}/fedkit-gold-read"]
    # botocore resent CreateRole after the lost answer and got EntityAlreadyExists: the role carries fedkit's tag.
    assert fault_proxy.actions().count("iam:CreateRole") == 2
    assert plan_all(context()).empty


def test_a_role_someone_else_created_meanwhile_stops_the_apply(fault_proxy, context):
    from toolkit.aws import aws_client

    ctx = context()
    iam = ctx.client("iam")

    def someone_else_first(**_):
        # Between fedkit's read and its CreateRole, another tool creates the role (no managed-by tag).
        aws_client("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": []}))

    iam.meta.events.register_first("before-call.iam.CreateRole", someone_else_first, unique_id="foreign-first")
    with pytest.raises(ApplyFailed) as caught:
        apply_all(ctx)
    message = caught.value.message
    assert message.startswith(f"create iam_role/{ROLE}: EntityAlreadyExists: ")
    assert "not fedkit's (no tag managed-by=fedkit)" in message and "\n" not in message
    assert caught.value.report.done == []
    assert aws_client("iam").list_role_policies(RoleName=ROLE)["PolicyNames"] == []  # nothing written to it


def test_create_bucket_whose_answer_was_lost_is_ours(fault_proxy):
    from toolkit.gold.publish import ensure_bucket

    fault_proxy.fail("s3:CreateBucket", "lost")
    assert ensure_bucket("fedkit-faults-lost", "us-east-1") in (True, False)
    assert fault_proxy.actions().count("s3:CreateBucket") == 2


def test_sns_topic_and_subscription_whose_answers_were_lost_converge(fault_proxy, context, tmp_path):
    """CreateTopic and Subscribe are idempotent in SNS (the same name and attributes return the same ARN):
    https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"""
    path = tmp_path / "federation.yaml"
    data = yaml.safe_load(path.read_text())
    data["aws"]["notifications"] = {"sns_topic": "gold-uploads", "email": "data@example.com",
                                    "snowflake_auto_refresh": False}
    path.write_text(yaml.safe_dump(data))
    fault_proxy.fail("sns:CreateTopic", "lost")
    fault_proxy.fail("sns:Subscribe", "lost")
    fault_proxy.fail("s3:PutBucketNotificationConfiguration", "lost")
    report = apply_all(context())
    assert {"sns_topic/gold-uploads", f"s3_bucket_notification/{BUCKET}"} <= {a.resource for a in report.done}
    assert fault_proxy.actions("lost") == ["sns:CreateTopic", "sns:Subscribe", "s3:PutBucketNotificationConfiguration"]
    assert plan_all(context()).empty
