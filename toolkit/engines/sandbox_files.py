"""The S3 files a sandbox engine reads for a table: listed from sandbox S3, selected as the cloud definition would.

Snowflake's external table reads what its PATTERN matches under its LOCATION, BigQuery's BigLake table what its `uris`
match (the rules and their documentation: `toolkit.registration.files`). The sandboxes read exactly these files, so a
decoy `returned_orders.parquet` beside `orders.parquet`, a `_SUCCESS` marker or a `.crc` file changes the sandbox's
rows exactly when it would change the cloud's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.registration.files import bigquery_reads, snowflake_reads

if TYPE_CHECKING:
    from toolkit.registration.desired import SnowflakeDesired, SnowflakeTableSpec


def list_objects(prefix_uri: str) -> dict[str, str]:
    """Every object whose key starts with the key of `prefix_uri` (`s3://bucket/key-prefix`): s3:// URI -> "size:etag"."""
    from botocore.exceptions import BotoCoreError, ClientError

    from toolkit.aws import aws_client
    from toolkit.errors import CloudError

    bucket, _, prefix = prefix_uri[len("s3://"):].partition("/")
    found: dict[str, str] = {}
    try:
        for page in aws_client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                meta = f"{item.get('Size', 0)}:{str(item.get('ETag', '')).strip(chr(34))}"
                found[f"s3://{bucket}/{item['Key']}"] = meta
    except (BotoCoreError, ClientError) as exc:
        raise CloudError(f"listing {prefix_uri} in S3: {str(exc).splitlines()[0]}")
    return dict(sorted(found.items()))


def snowflake_table_files(desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> dict[str, str]:
    """The files the external table reads: under `@stage/<path>/`, whose path below the stage URL matches PATTERN."""
    stage = desired.stage_url.rstrip("/") + "/"
    location = stage + (table.path.strip("/") + "/" if table.path.strip("/") else "")
    return {
        uri: meta
        for uri, meta in list_objects(location).items()
        if not uri.endswith("/") and snowflake_reads(table.pattern, uri[len(stage):])
    }


def bigquery_table_files(uris: tuple[str, ...]) -> dict[str, str]:
    """The objects BigQuery reads for a table with `uris` (each listed from the text before its `*`)."""
    found: dict[str, str] = {}
    for pattern in uris:
        for uri, meta in list_objects(pattern.partition("*")[0]).items():
            if not uri.endswith("/") and bigquery_reads(uris, uri):
                found[uri] = meta
    return dict(sorted(found.items()))
