"""The Glue Data Catalog adapter: a catalog fedkit registers the gold tables in, not a query engine (it runs no SQL).

Cloud and sandbox are the same code: boto3's `glue` client from `toolkit.aws.aws_client` (standard retries, bounded
timeouts), which points at the sandbox's moto server when fedkit runs in sandbox mode. moto's Glue stores the
definitions and answers the same paged calls (GetTables, GetPartitions); it never reads S3 nor checks IAM, so the
sandbox proves the catalog's content, not that Athena can read it.

Observation: GetDatabase, GetTables (paged), GetPartitions (paged) for fedkit's partitioned tables, and the hive
folders under each partitioned table's S3 folder (`toolkit.engines.s3_files.list_objects`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import UsageError
from toolkit.iam.aws_errors import error_code, to_cloud_error

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.registration.glue_desired import GlueDesired
    from toolkit.registration.glue_plan import ObservedGlue

# BatchCreatePartition takes at most 100 partitions a call (AWS Glue API, BatchCreatePartition: PartitionInputList,
# "Array of PartitionInput objects, not more than 100 structures").
BATCH_PARTITIONS = 100


class GlueCatalog:
    name: ClassVar[str] = "glue"
    dialect: ClassVar[str] = "hive"  # the DDL type names its columns carry
    can_run: ClassVar[bool] = False
    can_dry_run: ClassVar[bool] = False
    can_register: ClassVar[bool] = True
    mode = "cloud"
    emulation_note: str | None = None

    def __init__(self, loaded: "LoadedConfig", client: Any = None):
        self.loaded = loaded
        self._client = client

    # -- the Engine protocol: a catalog runs no query ------------------------------------------------------------
    def run(self, sql: str) -> "pa.Table":
        raise UsageError("glue is a catalog, not a query engine: it runs no SQL")

    def dry_run(self, sql: str) -> int | None:
        raise UsageError("glue is a catalog, not a query engine: it validates no SQL")

    def close(self) -> None:
        self._client = None

    # -- calls ---------------------------------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            from toolkit.aws import aws_client

            aws = self.loaded.config.aws
            self._client = aws_client("glue", region=aws.region if aws is not None else None)
        return self._client

    def _call(self, step: str, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise to_cloud_error(exc, step, "glue") from None

    @staticmethod
    def _catalog(desired: "GlueDesired") -> dict[str, str]:
        return {"CatalogId": desired.catalog_id} if desired.catalog_id else {}

    def _pages(self, step: str, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        from botocore.exceptions import BotoCoreError, ClientError

        items: list[dict[str, Any]] = []
        try:
            for page in self.client.get_paginator(operation).paginate(**kwargs):
                items.extend(page.get(key) or [])
        except (BotoCoreError, ClientError) as exc:
            if error_code(exc) == "EntityNotFoundException":
                return []
            raise to_cloud_error(exc, step, "glue") from None
        return items

    # -- observe -------------------------------------------------------------------------------------------------
    def observe(self, desired: "GlueDesired") -> "ObservedGlue":
        from botocore.exceptions import BotoCoreError, ClientError

        from toolkit.registration.glue_plan import ObservedGlue, observed_table

        where = f"observe glue_database/{desired.database}"
        try:
            self.client.get_database(Name=desired.database, **self._catalog(desired))
        except (BotoCoreError, ClientError) as exc:
            if error_code(exc) == "EntityNotFoundException":
                return ObservedGlue(False, {}, {}, self._s3_partitions(desired))
            raise to_cloud_error(exc, where, "glue") from None
        entries = self._pages(where, "get_tables", "TableList", DatabaseName=desired.database, **self._catalog(desired))
        tables = {t.name: t for t in map(observed_table, entries)}
        partitions: dict[str, frozenset[tuple[str, ...]]] = {}
        details: dict[str, dict[tuple[str, ...], tuple[str, tuple[tuple[str, str], ...]]]] = {}
        for spec in desired.tables:
            if spec.partition_keys and spec.name in tables:
                found = self._pages(f"observe glue_partitions/{desired.database}.{spec.name}", "get_partitions",
                                    "Partitions", DatabaseName=desired.database, TableName=spec.name,
                                    **self._catalog(desired))
                partitions[spec.name] = frozenset(tuple(p.get("Values") or []) for p in found)
                details[spec.name] = {tuple(p.get("Values") or []): _partition_detail(p) for p in found}
        return ObservedGlue(True, tables, partitions, self._s3_partitions(desired), details)

    @staticmethod
    def _s3_partitions(desired: "GlueDesired") -> dict[str, frozenset[tuple[str, ...]]]:
        """The hive folders holding visible Parquet under each partitioned table's folder."""
        from toolkit.engines.s3_files import list_objects
        from toolkit.registration.glue_desired import partition_values

        found = {}
        for spec in desired.tables:
            if spec.partition_keys:
                keys = [uri[len(spec.location):] for uri in list_objects(spec.location)]
                found[spec.name] = frozenset(partition_values(spec, keys))
        return found

    # -- apply ---------------------------------------------------------------------------------------------------
    def create_database(self, desired: "GlueDesired") -> None:
        from toolkit.registration.orphans import MARKER

        self._idempotent(f"create glue_database/{desired.database}", "create_database",
                         DatabaseInput={"Name": desired.database, "Description": f"gold tables, {MARKER}"},
                         **self._catalog(desired))

    def create_table(self, desired: "GlueDesired", table_input: dict[str, Any]) -> None:
        self._idempotent(f"create glue_table/{desired.database}.{table_input['Name']}", "create_table",
                         DatabaseName=desired.database, TableInput=table_input, **self._catalog(desired))

    def update_table(self, desired: "GlueDesired", table_input: dict[str, Any]) -> None:
        self._call(f"update glue_table/{desired.database}.{table_input['Name']}", "update_table",
                   DatabaseName=desired.database, TableInput=table_input, **self._catalog(desired))

    def delete_table(self, desired: "GlueDesired", name: str) -> None:
        self._call(f"delete glue_table/{desired.database}.{name}", "delete_table", DatabaseName=desired.database,
                   Name=name, **self._catalog(desired))

    def create_partitions(self, desired: "GlueDesired", table: str, partitions: list[dict[str, Any]]) -> None:
        """BatchCreatePartition in chunks; a partition that already exists (a retried call) counts as done, any other
        per-partition error fails the step (the call itself succeeds when single partitions fail)."""
        self._batches(f"create glue_partitions/{desired.database}.{table}", "batch_create_partition",
                      "PartitionInputList", desired, table, partitions, ok="AlreadyExistsException")

    def update_partitions(self, desired: "GlueDesired", table: str, entries: list[dict[str, Any]]) -> None:
        """BatchUpdatePartition in chunks of 100 (AWS Glue API, BatchUpdatePartition: Entries, at most 100)."""
        self._batches(f"update glue_partitions/{desired.database}.{table}", "batch_update_partition", "Entries",
                      desired, table, entries)

    def _batches(self, step: str, operation: str, key: str, desired: "GlueDesired", table: str,
                 items: list[dict[str, Any]], ok: str | None = None) -> None:
        from toolkit.errors import CloudError

        for start in range(0, len(items), BATCH_PARTITIONS):
            answer = self._call(step, operation, DatabaseName=desired.database, TableName=table,
                                **{key: items[start:start + BATCH_PARTITIONS]}, **self._catalog(desired))
            errors = [e for e in answer.get("Errors") or [] if (e.get("ErrorDetail") or {}).get("ErrorCode") != ok]
            if errors:
                detail = errors[0].get("ErrorDetail") or {}
                values = errors[0].get("PartitionValues", errors[0].get("PartitionValueList"))
                raise CloudError(f"{step}: {detail.get('ErrorCode', 'Error')}: {detail.get('ErrorMessage', '')} "
                                 f"(partition {values}; {len(errors)} failed)")

    def _idempotent(self, step: str, operation: str, **kwargs: Any) -> None:
        """A create whose object exists already (a retry whose first answer was lost) is done."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            getattr(self.client, operation)(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            if error_code(exc) != "AlreadyExistsException":
                raise to_cloud_error(exc, step, "glue") from None


def _partition_detail(partition: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    sd = partition.get("StorageDescriptor") or {}
    return str(sd.get("Location", "")), tuple((str(c["Name"]), str(c.get("Type", ""))) for c in sd.get("Columns") or [])


class GlueSandboxCatalog(GlueCatalog):
    """The same calls against the sandbox's moto server (aws_client points there in sandbox mode)."""

    mode = "sandbox"
    emulation_note = "sandbox: moto's Glue stores the definition; it reads no S3 and checks no IAM"
