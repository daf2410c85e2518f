"""The optional `athena:` and `redshift:` sections: the AWS-native engines KPIs run on (issue 17). A project without
them behaves exactly as before (they are not in `all`, parity or validate)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from toolkit.config_section import Section

# Athena/Glue names: lower-case letters, digits and '_' (docs.aws.amazon.com/athena/latest/ug/
# tables-databases-columns-names.html). Workgroup names: letters, digits, '.', '_', '-', 1-128
# (docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroup.html, Name pattern).
_GLUE_NAME_RE = re.compile(r"^[a-z0-9_]{1,255}\Z", re.ASCII)
_WORKGROUP_RE = re.compile(r"^[a-zA-Z0-9._-]{1,128}\Z", re.ASCII)
_S3_URI_RE = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\s]*)?\Z", re.ASCII)
# Redshift identifiers: a letter or '_' first, then letters, digits, '_' or '$', at most 127 bytes
# (docs.aws.amazon.com/redshift/latest/dg/r_names.html, "Standard identifiers").
_REDSHIFT_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,126}\Z", re.ASCII)
_SECRET_ARN_RE = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+\Z", re.ASCII)


class AthenaConfig(Section):
    """`workgroup` the queries run in; `output_location` for results when the workgroup does not enforce its own;
    `database`: the Glue database of the gold tables (default: the `glue:` section's)."""

    workgroup: str = Field("primary", description="Athena workgroup (engine version 3) the KPI queries run in.")
    output_location: str | None = Field(None, description="s3://bucket/prefix/ for query results.")
    database: str | None = Field(None, description="Glue database of the gold tables; default: glue.database.")

    @field_validator("workgroup")
    @classmethod
    def _workgroup(cls, value: str) -> str:
        if not _WORKGROUP_RE.match(value):
            raise ValueError("is not an Athena workgroup name (letters, digits, '.', '_', '-', 1-128)")
        return value

    @field_validator("output_location")
    @classmethod
    def _output(cls, value: str | None) -> str | None:
        if value is not None and not _S3_URI_RE.match(value):
            raise ValueError("must be an s3://bucket/prefix/ URI")
        return value

    @field_validator("database")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        if value is not None and not _GLUE_NAME_RE.match(value):
            raise ValueError("must be lower-case letters, digits and '_' (Glue and Athena names are lower case)")
        return value


class RedshiftConfig(Section):
    """Where the Redshift Data API runs statements: a Serverless `workgroup` or a provisioned `cluster_identifier`
    (exactly one), its `database`, and the `external_schema` over the Glue database that names the gold tables."""

    workgroup: str | None = Field(None, description="Redshift Serverless workgroup name.")
    cluster_identifier: str | None = Field(None, description="Provisioned cluster identifier.")
    database: str = Field("dev", description="Database the Data API connects to.")
    external_schema: str = Field("gold_spectrum", description="External schema over the Glue database.")
    secret_arn: str | None = Field(None, description="Secrets Manager ARN for the Data API (never the secret).")
    db_user: str | None = Field(None, description="Database user (provisioned clusters, temporary credentials).")

    @field_validator("database", "external_schema", "db_user")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        if value is not None and not _REDSHIFT_NAME_RE.match(value):
            raise ValueError("is not a Redshift identifier (a letter or '_', then letters, digits, '_' or '$')")
        return value

    @field_validator("workgroup", "cluster_identifier")
    @classmethod
    def _resource(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[a-z][a-z0-9-]{0,62}\Z", value, re.ASCII):
            raise ValueError("must be lower-case letters, digits and '-', starting with a letter (at most 63)")
        return value

    @field_validator("secret_arn")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        if value is not None and not _SECRET_ARN_RE.match(value):
            raise ValueError("is not a Secrets Manager secret ARN")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> "RedshiftConfig":
        if (self.workgroup is None) == (self.cluster_identifier is None):
            raise ValueError("set exactly one of workgroup (Serverless) and cluster_identifier (provisioned)")
        return self
