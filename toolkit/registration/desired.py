"""What should exist on each engine for a gold catalog: plain data computed from (config, catalog), no I/O.

Names stay exactly as the Parquet has them; quoting happens in the templates. Types come only from the type map
(`toolkit.types`). Refusals (UsageError, exit 2) name the table and column: two columns differing only by case,
a Parquet column Snowflake reserves for external tables (`VALUE`, `METADATA$FILENAME`), and for BigQuery a column or
partition key that is not a classic column name (external tables take no flexible column names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.engines.traits.snowflake import SnowflakeTraits
from toolkit.errors import UsageError
from toolkit.gold.model import is_single_file
from toolkit.registration.files import bigquery_uris, snowflake_pattern, stage_folder

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog, GoldTable

FILE_FORMAT_NAME = "FEDKIT_PARQUET"
# The Parquet options every reader of the gold files needs, as Snowflake spells them in DDL and reports them back
# (docs.snowflake.com "CREATE FILE FORMAT", format type options for TYPE = PARQUET). USE_LOGICAL_TYPE = TRUE reads a
# UTC-adjusted timestamp as TIMESTAMP_LTZ (an instant) instead of TIMESTAMP_NTZ, whose later cast to TIMESTAMP_TZ takes
# the session's zone; BINARY_AS_TEXT = FALSE keeps a BYTE_ARRAY without a logical type binary (Snowflake recommends it).
FILE_FORMAT_OPTIONS: tuple[tuple[str, str], ...] = (("USE_LOGICAL_TYPE", "TRUE"), ("BINARY_AS_TEXT", "FALSE"))
# What Snowflake assumes for an option the file format does not set (same page: BINARY_AS_TEXT defaults to TRUE;
# USE_LOGICAL_TYPE is off unless set, as issue 11 and "Loading Parquet" describe).
FILE_FORMAT_DEFAULTS = {"TYPE": "CSV", "USE_LOGICAL_TYPE": "FALSE", "BINARY_AS_TEXT": "TRUE"}
# Columns every Snowflake external table already has: a Parquet column with one of these names cannot be mapped.
SNOWFLAKE_PSEUDO_COLUMNS = SnowflakeTraits.pseudo_columns
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
# BigQuery table names (docs: "Tables", table naming): letters, marks, numbers, connectors, '-' and spaces. Column
# names are stricter for an external table (no flexible column names): `toolkit.gold.names.bigquery_column_problem`.
_BQ_TABLE_RE = re.compile(r"^[\w\- ]{1,1024}$")


# -- BigQuery -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BigQueryTableSpec:
    name: str
    uris: tuple[str, ...]
    hive_prefix: str | None  # set for hive-partitioned tables
    partition_columns: tuple[tuple[str, str], ...]  # (name, BigQuery type)
    columns: tuple[tuple[str, str], ...]  # every column BigQuery will show (data + partition), for drift checks
    require_partition_filter: bool

    # BigQuery infers the columns from the Parquet; two options decide what it infers (docs.cloud.google.com
    # "Load Parquet data from Cloud Storage", Parquet conversions; REST ExternalDataConfiguration):
    @property
    def decimal_target_types(self) -> tuple[str, ...]:
        """decimalTargetTypes defaults to ["NUMERIC"] for Parquet: a decimal that needs BIGNUMERIC would be read as
        NUMERIC (and fail on wide values) unless BIGNUMERIC is listed; NUMERIC still takes precedence where it fits."""
        return ("NUMERIC", "BIGNUMERIC") if any("BIGNUMERIC" in kind for _, kind in self.columns) else ()

    @property
    def enable_list_inference(self) -> bool:
        """Without list inference a standard Parquet LIST reads as STRUCT<list ARRAY<STRUCT<element …>>>, not the
        ARRAY<…> the type map declares."""
        return any("ARRAY<" in kind for _, kind in self.columns)


@dataclass(frozen=True)
class BigQueryDesired:
    project: str
    location: str
    dataset: str
    connection_id: str
    role_arn: str
    max_staleness_minutes: int
    metadata_cache_mode: str
    tables: tuple[BigQueryTableSpec, ...]

    @property
    def connection_ref(self) -> str:
        """The connection as DDL names it: `location.connection_id` (one backticked identifier)."""
        return f"{self.location}.{self.connection_id}"

    @property
    def connection_parent(self) -> str:
        return f"projects/{self.project}/locations/{self.location}"

    @property
    def connection_name(self) -> str:
        return f"{self.connection_parent}/connections/{self.connection_id}"


# -- Snowflake ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SnowflakeColumnSpec:
    name: str  # the Parquet name, exact case (unquoted in DDL when plain)
    type: str  # Snowflake type from the type map
    kind: str  # LogicalType kind (partition columns are parsed from the path by kind)
    partition: bool = False
    nullable_partition: bool = False  # hive writes __HIVE_DEFAULT_PARTITION__ for NULL
    int96: bool = False  # stored as Parquet INT96: Snowflake reads it as TIMESTAMP_NTZ (see toolkit.types.snowflake_value)

    @property
    def partition_key(self) -> str:
        """What precedes the value in METADATA$FILENAME (`table/odt=…/dt=…/part.parquet`). The leading `/` keeps
        a key from matching inside a longer one (`dt=` in `odt=`); the table folder always comes first."""
        return f"/{self.name}="


@dataclass(frozen=True)
class SnowflakeTableSpec:
    name: str
    location: str  # s3:// URI of the folder or file
    path: str  # LOCATION's folder under the stage URL, no leading/trailing slash (spellable without quotes)
    pattern: str  # anchored regex on the path under the stage URL: exactly the table's Parquet files
    columns: tuple[SnowflakeColumnSpec, ...]
    auto_refresh: bool

    @property
    def partition_by(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.partition)


@dataclass(frozen=True)
class SnowflakeDesired:
    database: str
    schema: str
    integration: str
    stage: str
    file_format: str
    role_arn: str
    stage_url: str  # s3://bucket/prefix/ (ends with /)
    allowed_locations: tuple[str, ...]
    tables: tuple[SnowflakeTableSpec, ...]


# -- builders -------------------------------------------------------------------------------------------------------
def sf_resolved(name: str) -> str:
    """The name Snowflake stores: upper case for a plain identifier, exact text for a quoted one (a config name written
    `"Quoted"` loses its quotes; a name from the data keeps them, as `sf_ident` quotes it)."""
    from toolkit.gold.names import ExactName
    from toolkit.sql.ddl import sf_is_plain

    if len(name) > 1 and not isinstance(name, ExactName) and name.startswith('"') and name.endswith('"'):
        return name[1:-1]
    return name.upper() if sf_is_plain(name) else name


def role_arn(loaded: "LoadedConfig") -> str:
    aws = loaded.config.aws
    if aws is None:
        raise UsageError(f"{loaded.path}: aws: is required to register tables (the engines assume aws.role_name)")
    return f"arn:aws:iam::{aws.account_id}:role/{aws.role_name}"


def gold_root(loaded: "LoadedConfig") -> str:
    gold = loaded.config.gold
    return f"s3://{gold.bucket}/{gold.prefix}"


def table_s3_location(loaded: "LoadedConfig", table: "GoldTable") -> str:
    """Where the table's Parquet lives in S3 (the catalog may have been read from the local copy)."""
    if table.location.startswith("s3://"):
        return table.location.rstrip("/")
    options = loaded.config.gold.tables.get(table.name)
    relative = (options.path if options and options.path else table.name).strip("/")
    if table.location.endswith(".parquet") and not relative.endswith(".parquet"):
        relative += ".parquet"
    return gold_root(loaded) + relative


def _check_names(table: "GoldTable") -> None:
    seen: dict[str, str] = {}
    for column in table.columns:
        lowered = column.name.lower()
        if lowered in seen:
            raise UsageError(
                f"table {table.name}: columns {seen[lowered]!r} and {column.name!r} differ only by case; "
                "BigQuery and Snowflake cannot tell them apart, rename one"
            )
        seen[lowered] = column.name


def _check_bigquery_names(loaded: "LoadedConfig", table: "GoldTable") -> None:
    from toolkit.gold.names import bigquery_table_problem

    if not _BQ_TABLE_RE.match(table.name):
        raise UsageError(
            f"table {table.name!r}: BigQuery table names allow only letters, digits, '_', '-' and spaces; "
            f"set a BigQuery-safe name for the folder in gold.tables"
        )
    problem = bigquery_table_problem(table)
    if problem:
        # Checked for every table before any change: real BigQuery would refuse the table only when it reads the
        # Parquet, midway through an apply. Snowflake quotes the name exactly, so a Snowflake-only project keeps it.
        raise UsageError(f"{problem}; rename the column in the Parquet, or leave the bigquery: section out of "
                         f"{loaded.path} for this project")


def desired_bigquery(loaded: "LoadedConfig", catalog: "GoldCatalog") -> BigQueryDesired:
    bq = loaded.config.bigquery
    if bq is None:
        raise UsageError(f"{loaded.path}: bigquery: section is missing")
    tables = []
    for table in catalog.tables:
        _check_names(table)
        _check_bigquery_names(loaded, table)
        location = table_s3_location(loaded, table)
        options = loaded.config.gold.tables.get(table.name)
        partitions = tuple((c.name, c.render("bigquery", table.name)) for c in table.columns if c.partition)
        single = is_single_file(location)
        uris = bigquery_uris(location, single)  # `…/*.parquet`: no _SUCCESS or .crc (toolkit.registration.files)
        prefix = location if partitions and not single else None
        tables.append(
            BigQueryTableSpec(
                name=table.name,
                uris=uris,
                hive_prefix=prefix,
                partition_columns=partitions,
                columns=tuple((c.name, c.render("bigquery", table.name)) for c in table.columns),
                require_partition_filter=bool(options and options.require_partition_filter and partitions),
            )
        )
    return BigQueryDesired(
        project=bq.project,
        location=bq.location,
        dataset=bq.dataset,
        connection_id=bq.connection_id,
        role_arn=role_arn(loaded),
        max_staleness_minutes=bq.max_staleness_minutes,
        metadata_cache_mode=bq.metadata_cache_mode,
        tables=tuple(tables),
    )


def desired_snowflake(loaded: "LoadedConfig", catalog: "GoldCatalog") -> SnowflakeDesired:
    sf = loaded.config.snowflake
    if sf is None:
        raise UsageError(f"{loaded.path}: snowflake: section is missing")
    root = gold_root(loaded)
    notifications = loaded.config.aws.notifications.snowflake_auto_refresh if loaded.config.aws else False
    tables = []
    for table in catalog.tables:
        _check_names(table)
        for column in table.columns:
            if column.name.upper() in SNOWFLAKE_PSEUDO_COLUMNS:
                raise UsageError(
                    f"table {table.name}: column {column.name!r} clashes with the Snowflake external table's own "
                    f"{column.name.upper()} column; rename it in the Parquet"
                )
        location = table_s3_location(loaded, table)
        if not location.startswith(root):
            raise UsageError(f"table {table.name}: {location} is not under the gold prefix {root}")
        relative = location[len(root) :].strip("/")
        single = is_single_file(location)
        # LOCATION is the folder (the file's folder for a single-file table), cut short where a bare `@stage/path/`
        # cannot spell it; the anchored PATTERN names exactly the table's files (toolkit.registration.files).
        folder = stage_folder(relative.rpartition("/")[0] if single else relative)
        pattern = snowflake_pattern(relative, single)
        options = loaded.config.gold.tables.get(table.name)
        columns = tuple(
            SnowflakeColumnSpec(
                name=c.name,
                type=c.render("snowflake", table.name),
                kind=c.type.kind,
                partition=c.partition,
                nullable_partition=c.partition and c.nullable,
                int96=c.type.int96,
            )
            for c in _partitions_first(table)
        )
        tables.append(
            SnowflakeTableSpec(
                name=table.name,
                location=location,
                path=folder,
                pattern=pattern,
                columns=columns,
                auto_refresh=bool(notifications and (options.auto_refresh if options else True)),
            )
        )
    return SnowflakeDesired(
        database=sf.database,
        schema=sf.schema_,
        integration=sf.integration,
        stage=sf.stage,
        file_format=FILE_FORMAT_NAME,
        role_arn=role_arn(loaded),
        stage_url=root,
        allowed_locations=(root,),
        tables=tuple(tables),
    )


def _partitions_first(table: "GoldTable") -> list:
    """Partition columns first, as Snowflake's own examples and `INFER_SCHEMA` templates list them."""
    return [c for c in table.columns if c.partition] + [c for c in table.columns if not c.partition]
