"""The project config (`config/federation.yaml`): its model, loading, and errors that name file, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from toolkit.config_errors import CrossFieldError, describe_validation_error
from toolkit.config_glue import GlueConfig
from toolkit.config_query_engines import AthenaConfig, RedshiftConfig
from toolkit.config_section import Section as _Section
from toolkit.config_yaml import read_config_yaml
from toolkit.errors import ConfigError
from toolkit.locations import OMNI_AWS_LOCATIONS, SUPPORTED_PARTITION, aws_region_for, partition_for
from toolkit.planning.identities import SQS_ARN_RE

DEFAULT_CONFIG_PATH = Path("config/federation.yaml")

# re.ASCII: the clouds' name patterns are ASCII (`[\w+=,.@-]+` for RoleName in
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html means [A-Za-z0-9_]), while Python's \d and \w
# also match other scripts ('١٢٣...' is 12 digits to Python); \Z, because `$` also matches before a final newline.
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z", re.ASCII)
_ACCOUNT_RE = re.compile(r"^\d{12}\Z", re.ASCII)
_REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d\Z", re.ASCII)
_ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}\Z", re.ASCII)
_GCP_PROJECT_RE = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]\Z", re.ASCII)
_BQ_NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,1024}\Z", re.ASCII)
_SF_NAME_RE = re.compile(r'^([A-Za-z_][A-Za-z0-9_$]{0,254}|"[^"]{1,255}")\Z', re.ASCII)
_IAM_USER_ARN_RE = re.compile(r"^arn:aws:iam::\d{12}:user/[\w+=,.@/-]{1,512}\Z", re.ASCII)
_GOOGLE_IDENTITY_RE = re.compile(r"^\d{21}\Z", re.ASCII)
_EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}\Z", re.ASCII)
# A KMS key ARN names one key (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN):
# an alias or a wildcard would let the grant follow whatever it points at.
_KMS_KEY_ARN_RE = re.compile(r"^arn:(aws[a-z-]*):kms:([a-z]{2}(?:-gov)?-[a-z]+-\d):\d{12}:key/(mrk-)?[0-9a-f-]{32,36}\Z",
                             re.ASCII)
_TABLE_NAME_RE = re.compile(r"^[^/\\\x00]{1,255}\Z", re.ASCII)
# Names S3 refuses although they match _BUCKET_RE (S3 bucket naming rules): reserved prefixes/suffixes, a dot next
# to a hyphen, an IP address. Refused here so a bad name fails at load time (exit 2), not halfway through an apply.
_BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")

SourceDialect = Literal["duckdb", "bigquery", "snowflake"]


class TableOptions(_Section):
    """Per-table options; a table not listed here is still discovered from the gold layout."""

    path: str | None = Field(None, description="Folder or file under the gold prefix; defaults to the table name.")
    partition_columns: list[str] = Field(
        default_factory=list, description="Hive partition columns expected in the layout (key=value folders)."
    )
    require_partition_filter: bool = Field(False, description="BigLake: queries must filter on a partition column.")
    auto_refresh: bool = Field(True, description="Snowflake: refresh the external table on S3 events.")


class Relationship(_Section):
    """A join key the parity sampler keeps (every `from` row keeps the `to` row it references) when neither the KPI
    suite's join conditions nor the values show it; table and column are checked against the gold catalog."""

    from_: str = Field(alias="from", description="Referencing column as table.column, e.g. lineitem.l_orderkey.")
    to: str = Field(description="Referenced (unique) column as table.column, e.g. orders.o_orderkey.")

    @field_validator("from_", "to")
    @classmethod
    def _table_column(cls, value: str) -> str:
        table, dot, column = value.partition(".")
        if not (dot and table.strip() and column.strip()):
            raise ValueError("must be table.column (for example lineitem.l_orderkey)")
        return value


class GoldConfig(_Section):
    bucket: str | None = Field(
        None, description="S3 bucket holding the gold layer; needed only where S3 is used (an aws section, "
        "gold publish, gold schema --source s3).")
    prefix: str = Field("gold/", description="Key prefix of the gold layer inside the bucket.")
    local_dir: str | None = Field(None, description="Local folder with the same layout (used by publish and DuckDB).")
    tables: dict[str, TableOptions] = Field(default_factory=dict)
    relationships: list[Relationship] = Field(
        default_factory=list, description="Join keys for parity sampling, each {from: table.column, to: table.column}."
    )

    @field_validator("bucket")
    @classmethod
    def _bucket(cls, value: str | None) -> str | None:
        if value is None:  # `bucket:` with no value is a forgotten name; no S3 is said by leaving the key out
            raise ValueError("must be a valid string")
        if not _BUCKET_RE.match(value) or ".." in value or re.match(r"^\d+\.\d+\.\d+\.\d+$", value):
            raise ValueError("is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, '.', '-')")
        if ".-" in value or "-." in value:
            raise ValueError("is not a valid S3 bucket name (a '.' next to a '-' is not allowed)")
        reserved = [p for p in _BUCKET_RESERVED_PREFIXES if value.startswith(p)]
        reserved += [s for s in _BUCKET_RESERVED_SUFFIXES if value.endswith(s)]
        if reserved:
            raise ValueError(f"is not a valid S3 bucket name ({reserved[0]!r} is reserved by S3)")
        return value

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        cleaned = value.strip("/")
        if not cleaned or "*" in cleaned or "//" in cleaned:
            raise ValueError("must be a non-empty key prefix without '*' or '//' (for example 'gold/')")
        return cleaned + "/"

    @field_validator("tables")
    @classmethod
    def _table_names(cls, value: dict[str, TableOptions]) -> dict[str, TableOptions]:
        for name in value:
            if not _TABLE_NAME_RE.match(name):
                raise ValueError(f"table name {name!r} is not usable as a folder name")
        return value


class NotificationsConfig(_Section):
    snowflake_auto_refresh: bool = Field(True, description="S3 -> Snowflake SQS events for external-table refresh.")
    sns_topic: str | None = Field(None, description="SNS topic name that announces new gold files.")
    email: str | None = Field(None, description="E-mail address subscribed to the SNS topic.")

    @field_validator("sns_topic")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[A-Za-z0-9_-]{1,256}$", value):
            raise ValueError("must be 1-256 letters, digits, '-' or '_'")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
            raise ValueError("is not an e-mail address")
        return value

    @model_validator(mode="after")
    def _email_needs_topic(self) -> "NotificationsConfig":
        # The address is subscribed to the alert topic; without one it would be silently ignored.
        if self.email is not None and self.sns_topic is None:
            raise CrossFieldError(("aws", "notifications", "email"), "needs aws.notifications.sns_topic (the e-mail "
                                  "subscribes to that topic); set sns_topic or remove email")
        return self


class AwsConfig(_Section):
    account_id: str = Field(description="12-digit AWS account id that owns the bucket and the role.")
    region: str = Field(description="AWS region of the bucket.")
    role_name: str = Field("fedkit-gold-reader", description="IAM role the engines assume to read the gold prefix.")
    export_prefix: str | None = Field(
        None, description="Prefix BigQuery EXPORT DATA would write to; refused for now: export needs its own role.")
    kms_key_arn: str | None = Field(
        None, description="KMS key of an SSE-KMS gold bucket (adds kms:Decrypt on exactly this key to the read policy).")
    notifications: NotificationsConfig = Field(default_factory=NotificationsConfig)

    @field_validator("account_id", mode="before")
    @classmethod
    def _account(cls, value: Any) -> str:
        text = str(value)
        if not _ACCOUNT_RE.match(text):
            raise ValueError("must be exactly 12 digits (quote it in YAML to keep leading zeros)")
        return text

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not _REGION_RE.match(value):
            raise ValueError("is not an AWS region name (for example 'us-east-1')")
        partition = partition_for(value)
        if partition != SUPPORTED_PARTITION:
            # Every ARN fedkit writes (role, bucket, Snowflake's IAM user) is in the aws partition, and BigQuery
            # Omni exists only there; a wrong-partition ARN would fail at apply, so refuse it at load time.
            raise ValueError(f"{value} is in the AWS partition {partition}; fedkit supports the aws partition only "
                             "(BigQuery Omni and fedkit's ARNs); use a region of the aws partition")
        return value

    @field_validator("kms_key_arn")
    @classmethod
    def _kms(cls, value: str | None) -> str | None:
        if value is not None and not _KMS_KEY_ARN_RE.match(value):
            raise ValueError("is not a KMS key ARN (arn:aws:kms:<region>:<12 digits>:key/<key id>; not an alias)")
        return value

    @model_validator(mode="after")
    def _kms_where_the_bucket_is(self) -> "AwsConfig":
        match = _KMS_KEY_ARN_RE.match(self.kms_key_arn or "")
        if match is None:
            return self
        partition, region = match.group(1), match.group(2)
        if partition != partition_for(self.region):
            raise CrossFieldError(("aws", "kms_key_arn"), f"the key is in partition {partition}, but aws.region "
                                  f"{self.region} is in partition {partition_for(self.region)}")
        if region != self.region:
            # SSE-KMS: the key must be in the bucket's Region
            # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
            raise CrossFieldError(("aws", "kms_key_arn"), f"the key is in {region}, but aws.region is {self.region}; "
                                  "S3 uses a KMS key in the bucket's region")
        return self

    @field_validator("role_name")
    @classmethod
    def _role(cls, value: str) -> str:
        if not _ROLE_NAME_RE.match(value):
            raise ValueError("is not a valid IAM role name (1-64 of letters, digits and +=,.@_-)")
        return value

    @field_validator("export_prefix")
    @classmethod
    def _export(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = value.strip("/")
        if not cleaned or "*" in cleaned:
            raise ValueError("must be a non-empty key prefix without '*'")
        return cleaned + "/"


class BigQueryConfig(_Section):
    project: str = Field(description="Google Cloud project id.")
    location: str = Field("aws-us-east-1", description="BigQuery Omni location: " + ", ".join(OMNI_AWS_LOCATIONS))
    dataset: str = Field("gold", description="Dataset holding the BigLake tables.")
    connection_id: str = Field("fedkit_gold", description="BigQuery connection to AWS.")
    max_staleness_minutes: int = Field(240, description="Metadata cache staleness; 0 turns caching off.")
    metadata_cache_mode: Literal["AUTOMATIC", "MANUAL"] = "AUTOMATIC"

    @field_validator("project")
    @classmethod
    def _project(cls, value: str) -> str:
        if not _GCP_PROJECT_RE.match(value):
            raise ValueError("is not a Google Cloud project id (6-30 lower-case letters, digits, '-')")
        return value

    @field_validator("location")
    @classmethod
    def _location(cls, value: str) -> str:
        if value.lower() not in OMNI_AWS_LOCATIONS:
            raise ValueError("is not a BigQuery Omni AWS location; use one of " + ", ".join(OMNI_AWS_LOCATIONS))
        return value.lower()

    @field_validator("dataset", "connection_id")
    @classmethod
    def _names(cls, value: str) -> str:
        if not _BQ_NAME_RE.match(value):
            raise ValueError("may contain only letters, digits and '_'")
        return value

    @field_validator("max_staleness_minutes")
    @classmethod
    def _staleness(cls, value: int) -> int:
        if value != 0 and not 30 <= value <= 7 * 24 * 60:
            raise ValueError("must be 0 (off) or between 30 minutes and 7 days (10080)")
        return value


class SnowflakeConfig(_Section):
    connection_name: str | None = Field(
        None, description="Connection in connections.toml, the project's default: --connection and "
        "SNOWFLAKE_DEFAULT_CONNECTION_NAME win; without any, config.toml's default_connection_name or [default]."
    )
    database: str = Field("ANALYTICS", description="Database for the stage and external tables.")
    schema_: str = Field("GOLD", alias="schema", description="Schema for the stage and external tables.")
    integration: str = Field("FEDKIT_GOLD_S3", description="Storage integration name.")
    stage: str = Field("GOLD_STAGE", description="External stage name.")
    warehouse: str | None = Field(None, description="Warehouse for queries; wins over the connection's warehouse.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("database", "schema_", "integration", "stage", "warehouse")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        if value is not None and not _SF_NAME_RE.match(value):
            raise ValueError("is not a Snowflake identifier (letters, digits, '_' and '$', or a double-quoted name)")
        return value


class KpiConfig(_Section):
    source_dialect: SourceDialect = Field("duckdb", description="Dialect the KPI files are written in.")
    paths: list[str] = Field(default_factory=lambda: ["sql/kpi"], description="Folders or files of KPI SQL.")
    publish_views: bool = Field(False, description="Publish each KPI as a view on BigQuery and Snowflake.")
    relative_tolerance: float = Field(1e-9, ge=0, lt=1, description="Parity tolerance for floating-point values.")


class SnowflakeIdentity(_Section):
    iam_user_arn: str
    external_id: str

    @field_validator("iam_user_arn")
    @classmethod
    def _arn(cls, value: str) -> str:
        if not _IAM_USER_ARN_RE.match(value):
            raise ValueError("is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)")
        return value

    @field_validator("external_id")
    @classmethod
    def _external_id(cls, value: str) -> str:
        if not _EXTERNAL_ID_RE.match(value):
            raise ValueError("is not a valid external id (2-1224 of letters, digits and +=,.@:/-_)")
        return value


class IdentitiesConfig(_Section):
    """Engine identities known ahead of the handshake (used until an engine reports its own; --identity wins over both)."""

    bigquery: str | None = Field(None, description="Google identity of the BigQuery connection (21 digits).")
    snowflake: SnowflakeIdentity | None = None
    snowflake_channel: str | None = Field(
        None,
        description="Snowflake's auto-refresh SQS queue ARN (notification_channel of SHOW EXTERNAL TABLES), "
        "for the S3 event notifications.",
    )

    @field_validator("snowflake_channel", mode="before")
    @classmethod
    def _sqs(cls, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        if not SQS_ARN_RE.match(text):  # the same check as --identity snowflake_channel
            raise ValueError("is not an SQS queue ARN (arn:aws:sqs:<region>:<12 digits>:<name>)")
        return text

    @field_validator("bigquery", mode="before")
    @classmethod
    def _google(cls, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value)
        if not _GOOGLE_IDENTITY_RE.match(text):
            raise ValueError("is not a Google identity (21 digits, as `bq show --connection` prints)")
        return text


class Config(_Section):
    version: Literal[1] = 1
    gold: GoldConfig
    aws: AwsConfig | None = None
    bigquery: BigQueryConfig | None = None
    snowflake: SnowflakeConfig | None = None
    glue: GlueConfig | None = None
    athena: AthenaConfig | None = None
    redshift: RedshiftConfig | None = None
    kpi: KpiConfig = Field(default_factory=KpiConfig)
    identities: IdentitiesConfig = Field(default_factory=IdentitiesConfig)

    @model_validator(mode="after")
    def _cross_checks(self) -> "Config":
        if self.aws is not None and self.gold.bucket is None:
            raise CrossFieldError(("gold", "bucket"), "is required with an aws section (the role fedkit wires reads "
                                  "s3://BUCKET/PREFIX); set gold.bucket, or remove aws for a project without S3")
        if self.bigquery is not None and self.aws is not None:
            expected = aws_region_for(self.bigquery.location)
            if expected != self.aws.region:
                raise CrossFieldError(
                    ("bigquery", "location"),
                    f"{self.bigquery.location} reads buckets in {expected}, but aws.region is {self.aws.region}",
                )
        export = self.aws.export_prefix if self.aws is not None else None
        if export and (export.startswith(self.gold.prefix) or self.gold.prefix.startswith(export)):
            where = "is inside" if export.startswith(self.gold.prefix) else "contains"
            raise CrossFieldError(("aws", "export_prefix"), f"{export!r} {where} gold.prefix {self.gold.prefix!r}: "
                                  "exported files would mix with the gold layer; choose a prefix outside it")
        channel = self.identities.snowflake_channel
        if channel and self.aws is not None and channel.split(":")[3] != self.aws.region:
            raise CrossFieldError(
                ("identities", "snowflake_channel"),
                f"{channel} is in {channel.split(':')[3]}, but aws.region is {self.aws.region}; "
                "S3 only notifies queues in the bucket's region",
            )
        return self


class LoadedConfig:
    """A validated config plus where it came from (so later errors can name the file)."""

    def __init__(self, config: Config, path: Path, snowflake_connection: str | None = None):
        self.config = config
        self.path = path
        # `--connection NAME` of the command: wins over SNOWFLAKE_DEFAULT_CONNECTION_NAME and snowflake.connection_name
        self.snowflake_connection = snowflake_connection

    @property
    def root(self) -> Path:
        """Relative paths in the config are resolved against the working directory, like dbt's project dir."""
        return Path.cwd()

    def resolve(self, relative: str | Path) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else self.root / path

    def s3_bucket(self, command: str) -> str:
        """gold.bucket for a command that reads or writes S3; a ConfigError naming the command when it is not set."""
        if self.config.gold.bucket is None:
            raise ConfigError(f"{self.path}: gold.bucket: is not set; {command} needs it (the S3 bucket of the gold "
                              "layer)")
        return self.config.gold.bucket

    def missing_path_hint(self, relative: str | Path) -> str:
        """Why a relative path from the config is missing, and the fix: fedkit runs from another folder than the
        project's. Names the project folder when the path exists beside the config (or above it). '' if absolute."""
        path = Path(relative)
        if path.is_absolute():
            return ""
        hint = f"relative paths in the config resolve from the working directory {self.root}"
        config_dir = self.path.absolute().parent
        for folder in (config_dir, *config_dir.parents):
            if folder != self.root and (folder / path).exists():
                return f"{hint}; it exists under {folder}: run `fedkit -C {folder} ...` (or cd there)"
        return f"{hint}; check the path, and run fedkit from the project folder (or `fedkit -C DIR`)"


def load_config(path: str | Path = DEFAULT_CONFIG_PATH) -> LoadedConfig:
    """Read and validate the config; every failure is a ConfigError of one line: `file:line: field: problem`."""
    path = Path(path)
    document = read_config_yaml(path)  # bounded: size, depth, no aliases/tags/merge keys, keys plain and set once
    data = document.data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config must be a mapping with at least a 'gold' section")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, path, document.root, data, Config))
    return LoadedConfig(config, path)
