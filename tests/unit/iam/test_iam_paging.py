"""Every IAM/SNS list call fedkit makes reads all pages (IsTruncated/Marker, NextToken), not only the first."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from toolkit.config import Config, LoadedConfig
from toolkit.iam import policies
from toolkit.iam.role_target import RoleTarget
from toolkit.planning.pipeline import Context

CONFIG = Config.model_validate({
    "gold": {"bucket": "acme-gold"},
    "aws": {"account_id": "111122223333", "region": "us-east-1", "role_name": "reader"},
    "snowflake": {},
})
ROLE = {"Path": "/", "RoleName": "reader", "RoleId": "AROAEXAMPLEEXAMPLE01", "Arn": "arn:aws:iam::111122223333:role/reader",
        "CreateDate": "2026-01-01T00:00:00Z", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": 3600}


def _clients():
    iam = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    return iam, sts


def test_role_observe_reads_every_page_of_tags_and_policies():
    iam, sts = _clients()
    s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    with Stubber(iam) as si, Stubber(sts) as ss, Stubber(s3) as s3s:
        ss.add_response("get_caller_identity", {"Account": "111122223333"})
        s3s.add_response("get_bucket_location", {}, {"Bucket": "acme-gold"})
        si.add_response("get_role", {"Role": ROLE}, {"RoleName": "reader"})
        si.add_response("list_role_tags", {"Tags": [{"Key": "a", "Value": "1"}], "IsTruncated": True, "Marker": "t2"})
        si.add_response("list_role_tags", {"Tags": [{"Key": "managed-by", "Value": "fedkit"}], "IsTruncated": False},
                        {"RoleName": "reader", "Marker": "t2"})
        si.add_response("list_role_policies", {"PolicyNames": ["other"], "IsTruncated": True, "Marker": "p2"})
        si.add_response("list_role_policies", {"PolicyNames": [policies.INLINE_POLICY_NAME], "IsTruncated": False},
                        {"RoleName": "reader", "Marker": "p2"})
        si.add_response("list_attached_role_policies",
                        {"AttachedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/A"}], "IsTruncated": True, "Marker": "a2"})
        si.add_response("list_attached_role_policies",
                        {"AttachedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/B"}], "IsTruncated": False},
                        {"RoleName": "reader", "Marker": "a2"})
        si.add_response("get_role_policy", {"RoleName": "reader", "PolicyName": policies.INLINE_POLICY_NAME,
                                            "PolicyDocument": '{"Version": "2012-10-17", "Statement": []}'})
        clients = {"iam": iam, "sts": sts, "s3": s3}
        ctx = Context(loaded=LoadedConfig(CONFIG, path=__file__), client_factory=clients.__getitem__)
        observed = RoleTarget().observe(ctx)
        si.assert_no_pending_responses()
    assert observed.tags == {"a": "1", "managed-by": "fedkit"}
    assert observed.other_inline_policies == ("other",)
    assert observed.inline_policy == {"Version": "2012-10-17", "Statement": []}
    assert observed.attached_policies == ("arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B")


def test_topic_observe_reads_every_page_of_subscriptions():
    from toolkit.iam.notification_target import NotificationTarget

    config = Config.model_validate({**CONFIG.model_dump(by_alias=True, exclude_none=True),
                                    "aws": {"account_id": "111122223333", "region": "us-east-1",
                                            "notifications": {"sns_topic": "alerts", "email": "b@example.com"}}})
    arn = "arn:aws:sns:us-east-1:111122223333:alerts"
    sns = boto3.client("sns", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    sub = {"TopicArn": arn, "Protocol": "email", "Owner": "111122223333", "SubscriptionArn": arn + ":1"}
    with Stubber(sns) as stub:
        stub.add_response("get_topic_attributes", {"Attributes": {}}, {"TopicArn": arn})
        stub.add_response("list_subscriptions_by_topic",
                          {"Subscriptions": [{**sub, "Endpoint": "a@example.com"}], "NextToken": "n2"})
        stub.add_response("list_subscriptions_by_topic", {"Subscriptions": [{**sub, "Endpoint": "b@example.com"}]},
                          {"TopicArn": arn, "NextToken": "n2"})
        ctx = Context(loaded=LoadedConfig(config, path=__file__), client_factory={"sns": sns}.__getitem__)
        topic = NotificationTarget()._observe_topic(ctx)
        stub.assert_no_pending_responses()
    assert topic.email_endpoints == ("a@example.com", "b@example.com")
