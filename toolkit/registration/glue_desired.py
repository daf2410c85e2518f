"""What the Glue Data Catalog should hold for a gold catalog: plain data from (config, catalog), no I/O.

One EXTERNAL_TABLE per gold table (AWS Glue API "TableInput" / "StorageDescriptor"): the Parquet SerDe and
input/output formats Athena's own `CREATE EXTERNAL TABLE … STORED AS PARQUET` records, the table's S3 folder as
`Location` (with its trailing slash: Athena reads every visible file below that folder, docs.aws.amazon.com/athena/
latest/ug/tables-location-format.html), columns and partition keys through the one type map (`toolkit.types`, column
"glue"). Glue stores table and column names in lower case (Athena "Name databases, tables, and columns"), so names
are lowered here and compared lowered; Athena matches Parquet columns by name, case-insensitively.

Partitions: registered partitions (BatchCreatePartition for every hive folder found in S3), not partition projection.
Athena's "Partition projection" page (docs.aws.amazon.com/athena/latest/ug/partition-projection.html, "Considerations
and limitations"): projection is used only when Athena queries the table; Redshift Spectrum, EMR and Glue ETL read the
partitions registered in the catalog. One catalog serves Athena and Redshift Spectrum (issue 17), so the partitions are
registered, and every `fedkit apply` adds the folders `gold publish` created since (`toolkit.registration.glue_plan`):
no manual MSCK REPAIR TABLE. Both at once is no way out: with projection enabled Athena ignores the registered
partitions (same page, "Important"), and projection needs each key's range or value list in the table properties,
which the gold layout does not declare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError
from toolkit.gold.model import is_single_file
from toolkit.registration.desired import _check_names, table_s3_location
from toolkit.registration.orphans import table_comment

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog, GoldTable

# What Athena records for STORED AS PARQUET (the Hive Parquet SerDe and formats; Athena "Parquet SerDe" page).
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
MANAGED_PARAMETER = ("managed-by", "fedkit")  # a table parameter, beside the description marker (orphans.py)
_GLUE_NAME_RE = re.compile(r"^[a-z0-9_]{1,255}\Z", re.ASCII)


@dataclass(frozen=True)
class GlueTableSpec:
    name: str  # lower case, as Glue stores it
    gold_name: str  # the gold table's own name
    location: str  # s3://bucket/prefix/table/ (trailing slash)
    columns: tuple[tuple[str, str], ...]  # (lower-case name, Hive type), data columns in Parquet order
    partition_keys: tuple[tuple[str, str], ...]  # (lower-case name, Hive type), in path order
    path_keys: tuple[str, ...] = ()  # the partition keys as the S3 folders spell them (`Order_Month=…`)

    def storage_descriptor(self, location: str | None = None) -> dict[str, Any]:
        return {
            "Columns": [{"Name": n, "Type": t} for n, t in self.columns],
            "Location": location or self.location,
            "InputFormat": PARQUET_INPUT,
            "OutputFormat": PARQUET_OUTPUT,
            "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE, "Parameters": {"serialization.format": "1"}},
        }

    def table_input(self) -> dict[str, Any]:
        """The Glue API TableInput for CreateTable/UpdateTable: stable key order, so plans and goldens are stable."""
        return {
            "Name": self.name,
            "Description": table_comment(self.name),
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"EXTERNAL": "TRUE", "classification": "parquet", MANAGED_PARAMETER[0]: MANAGED_PARAMETER[1]},
            "PartitionKeys": [{"Name": n, "Type": t} for n, t in self.partition_keys],
            "StorageDescriptor": self.storage_descriptor(),
        }

    def partition_input(self, folders: tuple[str, ...]) -> dict[str, Any]:
        """One partition from its folder values as S3 spells them: the folder (`…/k1=v1/k2=v2/`) as it is, the values
        unescaped (`partition_value`)."""
        folder = self.location + "".join(f"{k}={v}/" for k, v in zip(self.path_keys, folders))
        return {"Values": [partition_value(v) for v in folders], "StorageDescriptor": self.storage_descriptor(folder)}


def partition_value(folder_value: str) -> str:
    """The value a hive folder holds: Hive and Spark write `%XX` for the characters a path cannot carry (`:` in a
    timestamp is `%3A`), and the catalog keeps the value itself (what MSCK REPAIR TABLE would register)."""
    from urllib.parse import unquote

    return unquote(folder_value)


@dataclass(frozen=True)
class GlueDesired:
    database: str
    catalog_id: str | None  # None: the caller's account (the API's default)
    account_id: str  # whose catalog it is (for ARNs)
    tables: tuple[GlueTableSpec, ...]


def desired_glue(loaded: "LoadedConfig", catalog: "GoldCatalog") -> GlueDesired:
    glue = loaded.config.glue
    if glue is None:
        raise UsageError(f"{loaded.path}: glue: section is missing")
    aws = loaded.config.aws
    if aws is None:
        raise UsageError(f"{loaded.path}: aws: is required to register tables in Glue (its account and region)")
    return GlueDesired(
        database=glue.database,
        catalog_id=glue.catalog_id,
        account_id=glue.catalog_id or aws.account_id,
        tables=tuple(_table_spec(loaded, table) for table in catalog.tables),
    )


def _table_spec(loaded: "LoadedConfig", table: "GoldTable") -> GlueTableSpec:
    _check_names(table)
    name = table.name.lower()
    if not _GLUE_NAME_RE.match(name):
        raise UsageError(f"table {table.name!r}: Glue and Athena table names allow only letters, digits and '_'; "
                         f"give the folder such a name, or leave the glue: section out of {loaded.path}")
    location = table_s3_location(loaded, table)
    if is_single_file(location):
        # A Glue table's Location is a folder and Athena reads every file in it: one file cannot be selected.
        raise UsageError(f"table {table.name}: {location} is a single file; Glue tables read whole folders (Athena "
                         "\"Table location in Amazon S3\"), so move it into a folder of its own")

    def hive(column: Any) -> str:
        return column.render("glue", table.name)

    return GlueTableSpec(
        name=name,
        gold_name=table.name,
        location=location.rstrip("/") + "/",
        columns=tuple((c.name.lower(), hive(c)) for c in table.columns if not c.partition),
        partition_keys=tuple((c.name.lower(), hive(c)) for c in table.columns if c.partition),
        path_keys=tuple(c.name for c in table.columns if c.partition),
    )


def partition_values(spec: GlueTableSpec, keys_below: list[str]) -> set[tuple[str, ...]]:
    """The partition folders the S3 keys below the table folder hold (`k1=v1/…/kn=vn/file.parquet`: the values as the
    folders spell them), keys in the table's order, visible files only (a segment starting with `_` or `.` is hidden, as Athena and Spark hide it)."""
    names = list(spec.path_keys)
    found: set[tuple[str, ...]] = set()
    for key in keys_below:
        parts = key.split("/")
        if len(parts) != len(names) + 1 or not parts[-1].endswith(".parquet"):
            continue
        if any(p.startswith(("_", ".")) for p in parts):
            continue
        values = []
        for name, segment in zip(names, parts):
            key_name, eq, value = segment.partition("=")
            if not eq or key_name != name:
                break
            values.append(value)
        else:
            found.add(tuple(values))
    return found
