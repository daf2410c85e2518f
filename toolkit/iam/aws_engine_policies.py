"""IAM documents for the AWS-native engines (issue 17): pure builders, no I/O; None when the section is absent.

Athena runs every query as its caller (there is no role to hand it), so what Athena needs is a policy for the
principal that queries (`athena_query_policy`), generated for review and attached by whoever owns that principal:
- the workgroup actions on that one workgroup (Athena "Example workgroup policies", "policy for running queries in a
  specified workgroup": docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html);
- Glue read on the catalog, the database and its tables (Athena "Configure access to databases and tables in the
  AWS Glue Data Catalog": docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html; partitions
  are authorised on their table, Glue "Specifying AWS Glue resource ARNs");
- read on the gold prefix (the read role's own statements) and write on the results prefix only (Athena "Specify a
  query result location": docs.aws.amazon.com/athena/latest/ug/query-results-specify-location.html; the bucket
  actions of the AmazonAthenaFullAccess managed policy, narrowed to that prefix).

Redshift Spectrum reads S3 and the catalog through a role the cluster or Serverless workgroup assumes, kept apart
from the BigQuery/Snowflake role so that its trust (a service principal) and its grants (Glue) never widen theirs:
the minimum of "IAM policies for Amazon Redshift Spectrum" (docs.aws.amazon.com/redshift/latest/dg/
c-spectrum-iam-policies.html) on the gold prefix and the one Glue database. Its trust admits
`redshift.amazonaws.com` only for database users of this account's Redshift in this region: Redshift assumes the role
with the database user's ARN as `sts:ExternalId`, which is the condition Redshift documents for a trust ("Restricting
access to IAM roles": docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service-database-users.html), so
another account's cluster cannot be made to assume it (IAM "The confused deputy problem"). A provisioned cluster is
named (`dbuser:<cluster>/*`); a Serverless workgroup's user ARNs carry its id, not its name, so the account and
region bound it there. `aws:SourceAccount` is not used: Redshift does not document setting it when it assumes a
role, and a condition it never meets would make the role unusable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.iam.policies import MANAGED_TAG, _statement, policy, read_policy, require_aws

if TYPE_CHECKING:
    from toolkit.config import Config

SID_ATHENA_WORKGROUP = "FedkitAthenaWorkgroup"
SID_ATHENA_GLUE = "FedkitAthenaGlueRead"
SID_ATHENA_RESULTS_WRITE = "FedkitAthenaResultsWrite"
SID_ATHENA_RESULTS_BUCKET = "FedkitAthenaResultsBucket"
SID_ATHENA_RESULTS_LOCATION = "FedkitAthenaResultsLocation"
SID_SPECTRUM_TRUST = "FedkitRedshiftSpectrum"
SID_SPECTRUM_GLUE = "FedkitSpectrumGlueRead"
SIDS = frozenset({SID_ATHENA_WORKGROUP, SID_ATHENA_GLUE, SID_ATHENA_RESULTS_WRITE, SID_ATHENA_RESULTS_BUCKET,
                  SID_ATHENA_RESULTS_LOCATION, SID_SPECTRUM_TRUST, SID_SPECTRUM_GLUE})

SPECTRUM_INLINE_POLICY = "fedkit-spectrum-read"
SPECTRUM_ROLE_SUFFIX = "-spectrum"

ATHENA_QUERY_ACTIONS = (
    "athena:GetWorkGroup", "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
    "athena:StopQueryExecution",
)
# Read only: what SELECT and EXPLAIN need (GetPartition(s)/BatchGetPartition for partitioned tables).
GLUE_READ_ACTIONS = (
    "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions",
    "glue:BatchGetPartition",
)
RESULTS_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts")


def glue_database(config: "Config") -> str | None:
    """The Glue database the AWS engines read: athena.database, else glue.database."""
    athena = getattr(config, "athena", None)
    if athena is not None and athena.database:
        return athena.database
    return config.glue.database if config.glue is not None else None


def glue_read_resources(config: "Config", database: str) -> list[str]:
    aws = require_aws(config)
    account = (config.glue.catalog_id if config.glue is not None else None) or aws.account_id
    base = f"arn:aws:glue:{aws.region}:{account}"
    return [f"{base}:catalog", f"{base}:database/{database}", f"{base}:table/{database}/*"]


def _split_s3(uri: str) -> tuple[str, str]:
    bucket, _, prefix = uri[len("s3://"):].partition("/")
    return bucket, prefix


def athena_query_policy(config: "Config") -> dict[str, Any] | None:
    """The policy of the principal that runs the KPIs on Athena; None without athena: (or without a database)."""
    from toolkit.iam.policies import _literal_prefix

    if config.athena is None or config.aws is None:
        return None
    database = glue_database(config)
    if database is None:
        return None
    aws = config.aws
    workgroup = f"arn:aws:athena:{aws.region}:{aws.account_id}:workgroup/{config.athena.workgroup}"
    statements = [
        _statement(SID_ATHENA_WORKGROUP, list(ATHENA_QUERY_ACTIONS), workgroup),
        _statement(SID_ATHENA_GLUE, list(GLUE_READ_ACTIONS), glue_read_resources(config, database)),
        *read_policy(config)["Statement"],
    ]
    if config.athena.output_location:
        bucket, prefix = _split_s3(config.athena.output_location)
        prefix = _literal_prefix(prefix, "athena.output_location")
        statements += [
            _statement(SID_ATHENA_RESULTS_WRITE, list(RESULTS_OBJECT_ACTIONS), f"arn:aws:s3:::{bucket}/{prefix}*"),
            # s3:prefix exists only for ListBucket: GetBucketLocation under that condition would never be allowed
            _statement(SID_ATHENA_RESULTS_BUCKET, "s3:ListBucket", f"arn:aws:s3:::{bucket}",
                       condition={"StringLike": {"s3:prefix": [f"{prefix}*"]}}),
            _statement(SID_ATHENA_RESULTS_LOCATION, "s3:GetBucketLocation", f"arn:aws:s3:::{bucket}"),
        ]
    return policy(statements)


def spectrum_enabled(config: "Config") -> bool:
    return config.redshift is not None and config.aws is not None and glue_database(config) is not None


def spectrum_role_name(config: "Config") -> str:
    return f"{require_aws(config).role_name}{SPECTRUM_ROLE_SUFFIX}"


def spectrum_role_arn(config: "Config") -> str:
    return f"arn:aws:iam::{require_aws(config).account_id}:role/{spectrum_role_name(config)}"


def spectrum_external_ids(config: "Config") -> list[str]:
    """The database-user ARNs (sts:ExternalId) Redshift presents when it assumes the role for this config."""
    aws = require_aws(config)
    base = f"arn:aws:redshift:{aws.region}:{aws.account_id}:dbuser:"
    cluster = config.redshift.cluster_identifier
    return [f"{base}{cluster}/*" if cluster else f"{base}*"]


def spectrum_trust_statements(config: "Config") -> list[dict[str, Any]]:
    return [_statement(SID_SPECTRUM_TRUST, "sts:AssumeRole", principal={"Service": "redshift.amazonaws.com"},
                       condition={"StringLike": {"sts:ExternalId": spectrum_external_ids(config)}})]


def spectrum_read_statements(config: "Config") -> list[dict[str, Any]]:
    """Glue read on the one database and its tables, then the gold read statements of the read role."""
    database = glue_database(config)
    assert database is not None  # spectrum_enabled
    return [_statement(SID_SPECTRUM_GLUE, list(GLUE_READ_ACTIONS), glue_read_resources(config, database)),
            *read_policy(config)["Statement"]]


def spectrum_role_settings(config: "Config") -> dict[str, Any]:
    return {
        "RoleName": spectrum_role_name(config),
        "Path": "/",
        "Description": (f"Redshift Spectrum reads s3://{config.gold.bucket}/{config.gold.prefix} through Glue "
                        f"database {glue_database(config)} (managed by fedkit)"),
        "MaxSessionDuration": 3600,
        "Tags": [dict(MANAGED_TAG)],
    }
