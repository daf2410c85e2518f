"""Pure builders for the IAM documents fedkit manages (DESIGN §5, §8). No I/O, no cloud SDK.

Every managed statement carries a `Sid` starting with `Fedkit`, so a later run finds it again inside a trust
policy that also holds statements written by people (those are merged around, never touched).

Before an engine identity is known, its trust statement must admit nobody. We do NOT use a wildcard principal,
and we do NOT use Google's walkthrough placeholder audience `00000`: any Google service account can mint an ID
token for an arbitrary audience (IAM Credentials `generateIdToken`), so `aud = 00000` is a condition an
outsider can satisfy. Instead the pending statement keeps its real shape and conditions on a value the
identity provider can never present, and which doubles as the placeholder people see:
- BigQuery: `accounts.google.com:sub` equals `<BIGQUERY_CONNECTION_IDENTITY: run fedkit apply>`; Google
  subjects are 21 digits, so no token ever carries this `sub`.
- Snowflake: principal = this account's own root (a real, valid principal; a placeholder principal would be
  rejected by IAM), with `sts:ExternalId` equal to `<SNOWFLAKE_EXTERNAL_ID: run fedkit apply>`; STS rejects an
  ExternalId containing `<`, `>` or spaces, so this condition can never be met.
The generated files are therefore exactly what `fedkit apply` writes, and they lint clean as they are.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.planning.identities import Identities

SID_PREFIX = "Fedkit"
POLICY_VERSION = "2012-10-17"
INLINE_POLICY_NAME = "fedkit-gold-read"
MANAGED_TAG = {"Key": "managed-by", "Value": "fedkit"}

SID_BIGQUERY = "FedkitBigQueryOmni"
SID_SNOWFLAKE = "FedkitSnowflake"
SID_READ_OBJECTS = "FedkitGoldReadObjects"
SID_LIST_PREFIX = "FedkitGoldListPrefix"
SID_BUCKET_LOCATION = "FedkitGoldBucketLocation"
SID_KMS_DECRYPT = "FedkitGoldKmsDecrypt"
# Written by earlier versions (s3:PutObject on the export prefix, in the read policy); still managed so that the
# merge removes it from a role that has it.
SID_EXPORT_WRITE = "FedkitExportWrite"
SID_S3_PUBLISH = "FedkitS3PublishGoldUploads"
# The Sids fedkit writes. Only these are fedkit's to update or drop: a statement someone else named
# "FedkitSomething" is foreign and is kept as it is (merge, never overwrite).
MANAGED_SIDS = frozenset(
    {SID_BIGQUERY, SID_SNOWFLAKE, SID_READ_OBJECTS, SID_LIST_PREFIX, SID_BUCKET_LOCATION, SID_KMS_DECRYPT,
     SID_EXPORT_WRITE, SID_S3_PUBLISH,
     # toolkit.iam.aws_engine_policies (Athena's caller policy, the Redshift Spectrum role): its SIDS
     "FedkitAthenaWorkgroup", "FedkitAthenaGlueRead", "FedkitAthenaResultsWrite", "FedkitAthenaResultsBucket",
     "FedkitAthenaResultsLocation", "FedkitRedshiftSpectrum", "FedkitSpectrumGlueRead"}
)

BIGQUERY_PLACEHOLDER = "<BIGQUERY_CONNECTION_IDENTITY: run fedkit apply>"
SNOWFLAKE_PLACEHOLDER = "<SNOWFLAKE_EXTERNAL_ID: run fedkit apply>"
PLACEHOLDERS = (BIGQUERY_PLACEHOLDER, SNOWFLAKE_PLACEHOLDER)

NO_ENGINE = "config: configure bigquery: and/or snowflake: so the role has an engine to trust"

MAX_SESSION_BIGQUERY = 43200  # Omni queries can run 6 h; 12 h allows one retry (DESIGN §5)
MAX_SESSION_DEFAULT = 3600


def require_aws(config: "Config") -> Any:
    if config.aws is None:
        raise UsageError("config: aws: is required for IAM (account_id, region, role_name)")
    return config.aws


def _literal_prefix(value: str, field: str) -> str:
    """A key prefix pasted into an ARN / StringLike must mean itself: `?` is a wildcard there, `${` a variable."""
    for token, meaning in (("?", "a one-character wildcard"), ("*", "a wildcard"), ("${", "a policy variable")):
        if token in value:
            raise UsageError(
                f"{field}: {value!r} contains {token!r}, which IAM reads as {meaning} (it would widen the grant); "
                "use a prefix without it"
            )
    return value


def _refuse_export(export_prefix: str | None) -> None:
    """BigQuery EXPORT DATA writes through the connection's role. Google recommends a separate role for writes
    (https://cloud.google.com/bigquery/docs/omni-aws-create-connection: "create another connection with a separate
    AWS IAM role and grant the role write-only access"), so the read role never gets s3:PutObject;
    a role is tied to one BigQuery connection (and its own Google identity), so that means a second connection,
    which fedkit does not create yet. Refused rather than granted on the read role."""
    if export_prefix:
        _literal_prefix(export_prefix, "aws.export_prefix")
        raise UsageError(
            "aws.export_prefix: EXPORT DATA needs its own IAM role and BigQuery connection (Google recommends a "
            "separate role for writes, so the role that reads gold never gets s3:PutObject); fedkit does not create "
            "them yet: remove aws.export_prefix and set up the export role and connection outside fedkit"
        )


def validate(config: "Config") -> None:
    """Everything the builders would refuse, checked up front (plan/apply call it before any cloud call)."""
    aws = require_aws(config)
    _literal_prefix(config.gold.prefix, "gold.prefix")
    _refuse_export(aws.export_prefix)
    if config.bigquery is None and config.snowflake is None:
        raise UsageError(NO_ENGINE)


def role_arn(config: "Config") -> str:
    aws = require_aws(config)
    return f"arn:aws:iam::{aws.account_id}:role/{aws.role_name}"


def bucket_arn(config: "Config") -> str:
    return f"arn:aws:s3:::{config.gold.bucket}"


def policy(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": statements}


def _statement(sid: str, action: Any, resource: Any = None, principal: Any = None, condition: Any = None) -> dict:
    """One statement in the conventional key order: Sid, Effect, Principal, Action, Resource, Condition."""
    stmt: dict[str, Any] = {"Sid": sid, "Effect": "Allow"}
    if principal is not None:
        stmt["Principal"] = principal
    stmt["Action"] = action
    if resource is not None:
        stmt["Resource"] = resource
    if condition is not None:
        stmt["Condition"] = condition
    return stmt


def read_policy(config: "Config") -> dict[str, Any]:
    """Least-privilege S3 access: read the gold prefix only (and decrypt with the bucket's KMS key, if it has one)."""
    aws = require_aws(config)
    bucket, prefix = config.gold.bucket, _literal_prefix(config.gold.prefix, "gold.prefix")
    _refuse_export(aws.export_prefix)
    statements = [
        _statement(SID_READ_OBJECTS, ["s3:GetObject", "s3:GetObjectVersion"], f"arn:aws:s3:::{bucket}/{prefix}*"),
        _statement(
            SID_LIST_PREFIX,
            "s3:ListBucket",
            bucket_arn(config),
            condition={"StringLike": {"s3:prefix": [f"{prefix}*"]}},
        ),
        _statement(SID_BUCKET_LOCATION, "s3:GetBucketLocation", bucket_arn(config)),
    ]
    if aws.kms_key_arn:
        # SSE-KMS objects: GetObject needs kms:Decrypt on the bucket's key
        # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms), and only
        # when S3 asks on the role's behalf (kms:ViaService,
        # https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
        statements.append(_statement(SID_KMS_DECRYPT, "kms:Decrypt", aws.kms_key_arn, condition={
            "StringEquals": {"kms:ViaService": f"s3.{aws.region}.amazonaws.com"}}))
    return policy(statements)


def bigquery_trust_statement(identity: str | None) -> dict[str, Any]:
    return _statement(
        SID_BIGQUERY,
        "sts:AssumeRoleWithWebIdentity",
        principal={"Federated": "accounts.google.com"},
        condition={"StringEquals": {"accounts.google.com:sub": identity or BIGQUERY_PLACEHOLDER}},
    )


def snowflake_trust_statement(account_id: str, iam_user_arn: str | None, external_id: str | None) -> dict[str, Any]:
    known = iam_user_arn is not None and external_id is not None
    return _statement(
        SID_SNOWFLAKE,
        "sts:AssumeRole",
        principal={"AWS": iam_user_arn if known else f"arn:aws:iam::{account_id}:root"},
        condition={"StringEquals": {"sts:ExternalId": external_id if known else SNOWFLAKE_PLACEHOLDER}},
    )


def trust_statements(config: "Config", identities: "Identities") -> list[dict[str, Any]]:
    """One statement per configured engine, in a fixed order (BigQuery, then Snowflake)."""
    aws = require_aws(config)
    statements = []
    if config.bigquery is not None:
        statements.append(bigquery_trust_statement(identities.bigquery))
    if config.snowflake is not None:
        sf = identities.snowflake
        statements.append(
            snowflake_trust_statement(aws.account_id, sf.iam_user_arn if sf else None, sf.external_id if sf else None)
        )
    if not statements:
        raise UsageError(NO_ENGINE)
    return statements


def trust_policy(config: "Config", identities: "Identities") -> dict[str, Any]:
    return policy(trust_statements(config, identities))


def role_settings(config: "Config") -> dict[str, Any]:
    """The role itself: name, description, session length and the tag that marks it as ours."""
    aws = require_aws(config)
    engines = [name for name, section in (("BigQuery Omni", config.bigquery), ("Snowflake", config.snowflake)) if section]
    return {
        "RoleName": aws.role_name,
        "Path": "/",
        "Description": (
            f"Read s3://{config.gold.bucket}/{config.gold.prefix} from {' and '.join(engines) or 'query engines'}"
            " (managed by fedkit)"
        ),
        "MaxSessionDuration": MAX_SESSION_BIGQUERY if config.bigquery is not None else MAX_SESSION_DEFAULT,
        "Tags": [dict(MANAGED_TAG)],
    }


def sns_topic_arn(config: "Config") -> str | None:
    aws = require_aws(config)
    topic = aws.notifications.sns_topic
    return f"arn:aws:sns:{aws.region}:{aws.account_id}:{topic}" if topic else None


def sns_topic_policy_statements(config: "Config") -> list[dict[str, Any]]:
    """Let S3 publish this bucket's events to the alert topic, and nothing else (confused-deputy guarded)."""
    aws = require_aws(config)
    topic_arn = sns_topic_arn(config)
    if topic_arn is None:
        return []
    return [
        _statement(
            SID_S3_PUBLISH,
            "sns:Publish",
            topic_arn,
            principal={"Service": "s3.amazonaws.com"},
            condition={
                "ArnLike": {"aws:SourceArn": bucket_arn(config)},
                "StringEquals": {"aws:SourceAccount": aws.account_id},
            },
        )
    ]


def is_managed(statement: dict[str, Any]) -> bool:
    """A statement fedkit wrote (one of `MANAGED_SIDS`; all of them start with `SID_PREFIX`)."""
    return isinstance(statement, dict) and statement.get("Sid") in MANAGED_SIDS


def render(document: Any) -> str:
    """Pretty, stable JSON (key order as built; 2-space indent; trailing newline) for files and diffs."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
