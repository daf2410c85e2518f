"""Which files are a table's data: listed locally (pyarrow) or in S3 (ListObjectsV2, which gives each file's size,
ETag and time without a request per file), Spark's side files left out, hive `key=value` folders parsed and checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from toolkit.errors import CloudError, UsageError
from toolkit.gold.names import invisible_problem, name_problem
from toolkit.gold.storage import first_line, is_hidden, join, list_dir

if TYPE_CHECKING:
    import pyarrow.fs as pafs


@dataclass(frozen=True)
class DataFile:
    path: str  # inside the filesystem (`bucket/key` in S3)
    shown: str  # how a person would name it (s3:// URI or local path)
    size: int
    partitions: tuple[tuple[str, str], ...]  # (key, raw value) from key=value folders
    etag: str | None = None  # S3 only: from the listing, what the footer cache is keyed by
    modified: float | None = None  # seconds since the epoch, from the listing

    @property
    def bucket(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def key(self) -> str:
        return self.path.split("/", 1)[1]


def local_data_files(fs: "pafs.FileSystem", root: str, location: str) -> list[DataFile]:
    import pyarrow.fs as pafs

    found: list[DataFile] = []
    for entry in list_dir(fs, root, location, recursive=True):
        if entry.type != pafs.FileType.File:
            continue
        relative = entry.path[len(root) :].strip("/")
        partitions = _file_partitions(location, relative)
        if partitions is not None:
            modified = entry.mtime.timestamp() if entry.mtime is not None else None
            found.append(DataFile(entry.path, join(location, relative), entry.size or 0, partitions,
                                   modified=modified))
    return sorted(found, key=lambda f: f.path)


def _file_partitions(location: str, relative: str) -> tuple[tuple[str, str], ...] | None:
    """The (key, value) folders of a data file at `relative` under a table; None for Spark's side files."""
    parts = relative.split("/")
    if any(is_hidden(part) for part in parts):
        return None
    problem = invisible_problem(relative)
    if problem:
        raise UsageError(f"{location}: file {relative!r} {problem} in its path; rename it")
    shown = join(location, relative)
    partitions = []
    for folder in parts[:-1]:
        key, sep, value = folder.partition("=")
        if not sep or not key:
            raise UsageError(f"{shown}: folder {folder!r} is not a hive key=value partition folder")
        _check_partition_key(shown, key)
        partitions.append((unquote(key), unquote(value)))
    return tuple(partitions)


def _check_partition_key(shown: str, key: str) -> None:
    """A partition key is a column name, and the folder must spell it as it is: engines that find the value in the
    file's path (Snowflake's METADATA$FILENAME) look for the key's text, not its hive-escaped form."""
    problem = name_problem(unquote(key))
    if problem is None and "%" in key:
        problem = "is hive-escaped (%XX); write the partition column under a name that needs no escaping"
    if problem:
        raise UsageError(f"{shown}: partition column {unquote(key)!r} {problem}")


def s3_client(region: str | None) -> Any:
    from toolkit.aws import aws_client

    return aws_client("s3", region=region)


def s3_data_files(s3: Any, location: str, name: str) -> list[DataFile]:
    """A table folder's files (or the table's one file) from ListObjectsV2: 1,000 keys per request, with the size,
    ETag and time of each (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)."""
    bucket, _, key = location[len("s3://"):].partition("/")
    if not bucket or not key:
        raise UsageError(f"{location}: an S3 table location needs a bucket and a key (s3://bucket/prefix/table)")
    objects = _list_objects(s3, bucket, key + "/", location)
    if not objects:
        single = [o for o in _list_objects(s3, bucket, key, location) if o["Key"] == key]
        if not single:
            raise UsageError(f"table {name}: {location} does not exist")
        return [_listed(single[0], location, ())]
    found = []
    for item in objects:
        relative = item["Key"][len(key) + 1:]
        if not relative or relative.endswith("/"):
            continue  # a folder marker some tools write
        partitions = _file_partitions(location, relative)
        if partitions is not None:
            found.append(_listed(item, join(location, relative), partitions))
    return sorted(found, key=lambda f: f.path)


def _listed(item: dict[str, Any], shown: str, partitions: tuple[tuple[str, str], ...]) -> DataFile:
    path = shown[len("s3://"):]
    modified = item.get("LastModified")
    return DataFile(path, shown, int(item.get("Size") or 0), partitions, item.get("ETag"),
                     modified.timestamp() if modified is not None else None)


def _list_objects(s3: Any, bucket: str, prefix: str, location: str) -> list[dict[str, Any]]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [item for page in pages for item in page.get("Contents", [])]
    except (ClientError, BotoCoreError) as exc:
        raise CloudError(f"{location}: cannot list: {first_line(exc)}")
