"""The data files under a table's S3 location, as the engines see them (hidden `_`/`.` files and folders skipped).

Both Snowflake adapters use it: the cloud one for the newest `LastModified` (compared with SHOW EXTERNAL TABLES'
`last_refreshed_on`), the sandbox one for the exact file list its loaded copy was read from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class S3File:
    size: int
    etag: str
    last_modified: datetime | None  # timezone-aware (UTC), as boto3 parses S3's answer


def data_files(location: str) -> dict[str, S3File]:
    """key -> S3File for the table at `location`: a folder (`s3://b/gold/t`) or one file (`s3://b/gold/t.parquet`)."""
    from botocore.exceptions import BotoCoreError, ClientError

    from toolkit.aws import aws_client
    from toolkit.errors import CloudError
    from toolkit.gold.storage import is_hidden

    bucket, _, key = location[len("s3://"):].partition("/")
    key = key.strip("/")
    single = key.endswith(".parquet")
    prefix = key if single else (key + "/" if key else "")
    files: dict[str, S3File] = {}
    try:
        for page in aws_client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                name = item["Key"]
                if single and name != key:
                    continue
                relative = name.rsplit("/", 1)[-1] if single else name[len(prefix):]
                if not relative or relative.endswith("/") or any(is_hidden(part) for part in relative.split("/")):
                    continue
                files[name] = S3File(int(item.get("Size", 0)), str(item.get("ETag", "")).strip('"'),
                                     item.get("LastModified"))
    except (BotoCoreError, ClientError) as exc:
        raise CloudError(f"listing {location} in S3: {str(exc).splitlines()[0]}")
    return dict(sorted(files.items()))


def newest(files: dict[str, S3File]) -> datetime | None:
    """The latest `LastModified` among `files` (None when there are none)."""
    stamps = [f.last_modified for f in files.values() if f.last_modified is not None]
    return max(stamps) if stamps else None
