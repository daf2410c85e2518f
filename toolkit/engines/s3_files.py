"""The S3 files a table reads on each engine, listed once with size, ETag and LastModified.

Snowflake's external table reads what its PATTERN matches under its LOCATION, BigQuery's BigLake table what its `uris`
match (the rules and their documentation: `toolkit.registration.files`). Every adapter selects files here:
- the cloud Snowflake adapter takes the newest `LastModified` of exactly these files (compared with SHOW EXTERNAL
  TABLES' `last_refreshed_on`): a sibling table's upload under a shared parent LOCATION, or a `_SUCCESS`/`.json` file
  beside the Parquet, never makes a table look stale;
- the sandboxes read exactly these files, so a decoy `returned_orders.parquet` beside `orders.parquet`, a `_SUCCESS`
  marker or a `.crc` file changes the sandbox's rows exactly when it would change the cloud's, and the Snowflake
  sandbox fingerprints them (keys, sizes, ETags) to tell when its loaded copy is behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from toolkit.registration.files import bigquery_reads, snowflake_reads

if TYPE_CHECKING:
    from toolkit.registration.desired import SnowflakeDesired, SnowflakeTableSpec


@dataclass(frozen=True)
class S3File:
    size: int
    etag: str
    last_modified: datetime | None  # timezone-aware (UTC), as boto3 parses S3's answer

    @property
    def meta(self) -> str:
        """"size:etag", what the Snowflake sandbox records of each file it loaded."""
        return f"{self.size}:{self.etag}"


def list_objects(prefix_uri: str) -> dict[str, S3File]:
    """Every object whose key starts with the key of `prefix_uri` (`s3://bucket/key-prefix`), by s3:// URI, sorted."""
    from botocore.exceptions import BotoCoreError, ClientError

    from toolkit.aws import aws_client
    from toolkit.errors import CloudError

    bucket, _, prefix = prefix_uri[len("s3://"):].partition("/")
    found: dict[str, S3File] = {}
    try:
        for page in aws_client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found[f"s3://{bucket}/{item['Key']}"] = S3File(
                    int(item.get("Size", 0)), str(item.get("ETag", "")).strip('"'), item.get("LastModified"))
    except (BotoCoreError, ClientError) as exc:
        raise CloudError(f"listing {prefix_uri} in S3: {str(exc).splitlines()[0]}")
    return dict(sorted(found.items()))


def snowflake_table_files(desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> dict[str, S3File]:
    """The files the external table reads: under `@stage/<path>/`, whose path below the stage URL matches PATTERN."""
    stage = desired.stage_url.rstrip("/") + "/"
    location = stage + (table.path.strip("/") + "/" if table.path.strip("/") else "")
    return {
        uri: file
        for uri, file in list_objects(location).items()
        if not uri.endswith("/") and snowflake_reads(table.pattern, uri[len(stage):])
    }


def bigquery_table_files(uris: tuple[str, ...]) -> dict[str, S3File]:
    """The objects BigQuery reads for a table with `uris` (each listed from the text before its `*`)."""
    found: dict[str, S3File] = {}
    for pattern in uris:
        for uri, file in list_objects(pattern.partition("*")[0]).items():
            if not uri.endswith("/") and bigquery_reads(uris, uri):
                found[uri] = file
    return dict(sorted(found.items()))


def newest(files: dict[str, S3File]) -> datetime | None:
    """The latest `LastModified` among `files` (None when there are none)."""
    stamps = [f.last_modified for f in files.values() if f.last_modified is not None]
    return max(stamps) if stamps else None
