"""Pure policy builders: least privilege, one trust statement per engine, pending statements that admit nobody."""

from __future__ import annotations

import re

import pytest

from toolkit.config import Config
from toolkit.errors import UsageError
from toolkit.iam import policies
from toolkit.planning.identities import (
    EXTERNAL_ID_RE,
    GOOGLE_IDENTITY_RE,
    Identities,
    SnowflakeTrust,
)

BASE = {"gold": {"bucket": "acme-gold", "prefix": "lake/gold"},
        "aws": {"account_id": "111122223333", "region": "us-east-1", "role_name": "reader"}}
BQ = {"bigquery": {"project": "acme-proj"}}
SF = {"snowflake": {}}


def make(*parts: dict, **aws_extra) -> Config:
    data: dict = {"gold": dict(BASE["gold"]), "aws": {**BASE["aws"], **aws_extra}}
    for part in parts:
        data.update(part)
    return Config.model_validate(data)


def test_read_policy_scopes_objects_and_listing_to_the_gold_prefix():
    doc = policies.read_policy(make(BQ, SF))
    by_sid = {s["Sid"]: s for s in doc["Statement"]}
    assert doc["Version"] == "2012-10-17"
    assert by_sid["FedkitGoldReadObjects"]["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert by_sid["FedkitGoldReadObjects"]["Resource"] == "arn:aws:s3:::acme-gold/lake/gold/*"
    assert by_sid["FedkitGoldListPrefix"]["Resource"] == "arn:aws:s3:::acme-gold"
    assert by_sid["FedkitGoldListPrefix"]["Condition"] == {"StringLike": {"s3:prefix": ["lake/gold/*"]}}
    assert by_sid["FedkitGoldBucketLocation"]["Action"] == "s3:GetBucketLocation"
    actions = {a for s in doc["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert not any(a.startswith("s3:Put") or a.startswith("s3:Delete") for a in actions)
    assert all(s["Resource"] != "*" for s in doc["Statement"])


KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_an_export_prefix_is_refused_until_export_has_its_own_role():
    # Google: writes through a separate role, so the read role never gets s3:PutObject
    # (https://cloud.google.com/bigquery/docs/omni-aws-create-connection). That role needs its own BigQuery
    # connection (one role per connection, one identity per connection): not built yet, so refused, not half-done.
    config = make(BQ, export_prefix="exports/bq")
    for build in (policies.read_policy, policies.validate):
        with pytest.raises(UsageError, match=r"^aws.export_prefix: .*own IAM role and BigQuery connection"):
            build(config)
    assert "s3:PutObject" not in policies.render(policies.read_policy(make(BQ)))


def test_kms_key_adds_decrypt_on_exactly_that_key_through_s3_only():
    without = policies.read_policy(make(BQ, SF))
    with_key = policies.read_policy(make(BQ, SF, kms_key_arn=KEY))
    assert with_key["Statement"][: len(without["Statement"])] == without["Statement"]
    assert with_key["Statement"][len(without["Statement"]):] == [
        {"Sid": "FedkitGoldKmsDecrypt", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY,
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]
    assert "FedkitGoldKmsDecrypt" in policies.MANAGED_SIDS


@pytest.mark.parametrize(
    "parts, sids, max_session",
    [((BQ,), ["FedkitBigQueryOmni"], 43200), ((SF,), ["FedkitSnowflake"], 3600),
     ((BQ, SF), ["FedkitBigQueryOmni", "FedkitSnowflake"], 43200)],
)
def test_one_trust_statement_per_configured_engine(parts, sids, max_session):
    config = make(*parts)
    statements = policies.trust_statements(config, Identities())
    assert [s["Sid"] for s in statements] == sids
    assert policies.role_settings(config)["MaxSessionDuration"] == max_session
    assert policies.role_settings(config)["Tags"] == [{"Key": "managed-by", "Value": "fedkit"}]


def test_no_engine_configured_is_a_usage_error():
    with pytest.raises(UsageError, match="bigquery: and/or snowflake:"):
        policies.trust_statements(make(), Identities())


def test_pending_statements_admit_nobody_and_never_use_a_wildcard_principal():
    bq, sf = policies.trust_statements(make(BQ, SF), Identities())
    assert bq["Principal"] == {"Federated": "accounts.google.com"}
    assert bq["Action"] == "sts:AssumeRoleWithWebIdentity"
    sub = bq["Condition"]["StringEquals"]["accounts.google.com:sub"]
    assert sub == policies.BIGQUERY_PLACEHOLDER and not GOOGLE_IDENTITY_RE.match(sub)  # no Google subject looks so
    assert sf["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}  # own account, not "*"
    external_id = sf["Condition"]["StringEquals"]["sts:ExternalId"]
    assert external_id == policies.SNOWFLAKE_PLACEHOLDER and not EXTERNAL_ID_RE.match(external_id)  # STS refuses it
    for stmt in (bq, sf):
        assert "*" not in str(stmt["Principal"])


def test_known_identities_are_trusted_exactly():
    ids = Identities(bigquery="123456789012345678901",
                     snowflake=SnowflakeTrust("arn:aws:iam::999988887777:user/sf-abc", "XY_SFCRole=2_abc="))
    bq, sf = policies.trust_statements(make(BQ, SF), ids)
    assert bq["Condition"] == {"StringEquals": {"accounts.google.com:sub": "123456789012345678901"}}
    assert sf == {"Sid": "FedkitSnowflake", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:user/sf-abc"},
                  "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "XY_SFCRole=2_abc="}}}


def test_every_managed_sid_has_the_prefix_and_is_valid_iam_grammar():
    config = make(BQ, SF, kms_key_arn=KEY, notifications={"sns_topic": "gold-uploads"})
    docs = [policies.read_policy(config), policies.trust_policy(config, Identities()),
            policies.policy(policies.sns_topic_policy_statements(config))]
    sids = [s["Sid"] for d in docs for s in d["Statement"]]
    assert len(sids) == len(set(sids)) == 7
    assert all(sid.startswith(policies.SID_PREFIX) and re.fullmatch(r"[0-9A-Za-z]+", sid) for sid in sids)


def test_sns_topic_policy_only_lets_this_bucket_publish():
    (stmt,) = policies.sns_topic_policy_statements(make(SF, notifications={"sns_topic": "gold-uploads"}))
    assert stmt["Principal"] == {"Service": "s3.amazonaws.com"}
    assert stmt["Action"] == "sns:Publish"
    assert stmt["Resource"] == "arn:aws:sns:us-east-1:111122223333:gold-uploads"
    assert stmt["Condition"] == {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::acme-gold"},
                                 "StringEquals": {"aws:SourceAccount": "111122223333"}}


def test_render_is_pretty_and_stable():
    config = make(BQ, SF)
    text = policies.render(policies.read_policy(config))
    assert text == policies.render(policies.read_policy(config))
    assert text.endswith("}\n") and text.startswith('{\n  "Version": "2012-10-17",\n  "Statement": [')


@pytest.mark.parametrize(
    "field, value",
    [("prefix", "gold?/"), ("prefix", "lake/${aws:username}/"), ("export_prefix", "exports?"),
     ("export_prefix", "out/${aws:userid}")],
)
def test_prefix_that_iam_would_read_as_a_wildcard_or_variable_is_refused(field, value):
    # `?` matches any character in an ARN and in StringLike, `${...}` is a policy variable: either would widen the
    # grant beyond the configured prefix, so the builders refuse it with a one-line error naming the field.
    config = make(BQ, export_prefix=value) if field == "export_prefix" else Config.model_validate(
        {"gold": {"bucket": "acme-gold", "prefix": value}, "aws": BASE["aws"], **BQ})
    with pytest.raises(UsageError, match=rf"(gold|aws)\.{field}: .* IAM"):
        policies.read_policy(config)
    with pytest.raises(UsageError):
        policies.validate(config)
