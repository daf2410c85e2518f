"""Upload the local gold folder to `s3://bucket/prefix/`, keeping its layout and skipping what is already there.

An object is "already there" when its ETag is the file's MD5 (single-part uploads) or its `fedkit-sha256` metadata
is the file's SHA-256 (every upload made here stores it, multipart ones included). Files Spark leaves behind
(`_SUCCESS`, `.crc`, `_temporary/`) are not uploaded: BigQuery reads every object under a table's `uris` wildcard.
Objects under the prefix that are no longer in the local folder are reported as stale (engines would still read
them) and deleted only when asked (`delete=True`, like `aws s3 sync --delete`).
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from toolkit.errors import CloudError, UsageError
from toolkit.gold.storage import is_hidden

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig

SHA256_METADATA = "fedkit-sha256"
MULTIPART_THRESHOLD = 16 * 1024 * 1024
MULTIPART_CHUNK = 16 * 1024 * 1024
_UPLOAD_THREADS = 4

# progress(bytes_done_since_last_call, total_bytes): the CLI turns it into a progress bar.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PublishSummary:
    bucket: str
    prefix: str
    files: int
    uploaded: int
    skipped: int
    bytes_uploaded: int
    uploaded_keys: tuple[str, ...] = field(default_factory=tuple)
    # Data objects under the prefix with no local file: left alone (and listed) unless publish(delete=True).
    stale_keys: tuple[str, ...] = field(default_factory=tuple)
    deleted: int = 0
    created_bucket: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["uploaded_keys"] = list(self.uploaded_keys)
        data["stale_keys"] = list(self.stale_keys)
        return data


@dataclass(frozen=True)
class _LocalFile:
    path: Path
    key: str
    size: int


def publish(
    loaded: "LoadedConfig", progress: Progress | None = None, delete: bool = False, create_bucket: bool = False
) -> PublishSummary:
    """Upload new or changed files of `gold.local_dir` to the configured bucket and prefix.

    With `delete`, objects under the prefix that have no local file any more are deleted after the uploads (so the
    S3 copy equals the folder); without it they are only listed in `stale_keys`. With `create_bucket`, a missing
    bucket is created first in `aws.region` (otherwise it is an error: the gold bucket is the team's, not fedkit's).
    """
    from toolkit.gold.schema import missing_gold_folder

    gold = loaded.config.gold
    bucket = loaded.s3_bucket("`fedkit gold publish`")
    if not gold.local_dir:
        raise UsageError(f"{loaded.path}: gold.local_dir is not set: nothing to publish")
    local = loaded.resolve(gold.local_dir)
    if not local.is_dir():
        raise UsageError(
            missing_gold_folder(loaded, local)
        )
    files = local_files(local, gold.prefix)
    if not files:
        raise UsageError(f"no files to publish under {local}; run `fedkit gold sample`")
    from toolkit.aws import aws_client

    region = loaded.config.aws.region if loaded.config.aws else None
    created = ensure_bucket(bucket, region or "us-east-1") if create_bucket else False
    s3 = aws_client("s3", region=region)
    _require_bucket(s3, bucket)
    remote = _list_objects(s3, bucket, gold.prefix)
    total = sum(f.size for f in files)
    lock = threading.Lock()

    def report(done: int) -> None:
        if progress is not None:
            with lock:
                progress(done, total)

    def one(file: _LocalFile) -> bool:
        sha256, md5 = _digests(file.path)
        if _same(s3, bucket, file, remote.get(file.key), sha256, md5):
            report(file.size)
            return False
        _upload(s3, bucket, file, sha256, report)
        return True

    with ThreadPoolExecutor(max_workers=_UPLOAD_THREADS) as pool:
        results = list(pool.map(one, files))
    uploaded = [f for f, sent in zip(files, results) if sent]
    local_keys = {f.key for f in files}
    stale = sorted(key for key in remote if key not in local_keys and not _hidden_key(key, gold.prefix))
    if delete and stale:
        _delete(s3, bucket, stale)
    return PublishSummary(
        bucket=bucket,
        prefix=gold.prefix,
        files=len(files),
        uploaded=len(uploaded),
        skipped=len(files) - len(uploaded),
        bytes_uploaded=sum(f.size for f in uploaded),
        uploaded_keys=tuple(f.key for f in uploaded),
        stale_keys=tuple(stale),
        deleted=len(stale) if delete else 0,
        created_bucket=created,
    )


def _hidden_key(key: str, prefix: str) -> bool:
    """Keys publish never uploads (Spark's `_SUCCESS`, `.crc`, folder markers) are never called stale either."""
    relative = key[len(prefix) :] if key.startswith(prefix) else key
    return relative.endswith("/") or any(is_hidden(part) for part in relative.split("/"))


def _delete(s3: Any, bucket: str, keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1,000 keys
        batch = keys[start : start + 1000]
        answer = _call(
            f"delete {len(batch)} stale objects from s3://{bucket}",
            s3.delete_objects,
            Bucket=bucket,
            Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
        )
        errors = answer.get("Errors") or []
        if errors:
            first = errors[0]
            raise CloudError(
                f"delete s3://{bucket}/{first.get('Key')} failed: {first.get('Code')} {first.get('Message', '')}".rstrip()
                + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
            )


def local_files(root: Path, prefix: str) -> list[_LocalFile]:
    """Every data file under `root` (sorted, hidden and `_` files skipped) with its object key under `prefix`."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(is_hidden(part) for part in relative.parts):
            continue
        found.append(_LocalFile(path, prefix.rstrip("/") + "/" + relative.as_posix(), path.stat().st_size))
    return found


def _digests(path: Path) -> tuple[str, str]:
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            sha256.update(chunk)
            md5.update(chunk)
    return sha256.hexdigest(), md5.hexdigest()


def _same(s3: Any, bucket: str, file: _LocalFile, remote: dict[str, Any] | None, sha256: str, md5: str) -> bool:
    if remote is None or remote["size"] != file.size:
        return False
    etag = remote["etag"].strip('"')
    if "-" not in etag and etag == md5:
        return True
    head = _call(f"read s3://{bucket}/{file.key}", s3.head_object, Bucket=bucket, Key=file.key)
    return head.get("Metadata", {}).get(SHA256_METADATA) == sha256


def _upload(s3: Any, bucket: str, file: _LocalFile, sha256: str, report: Callable[[int], None]) -> None:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=MULTIPART_THRESHOLD, multipart_chunksize=MULTIPART_CHUNK, max_concurrency=2
    )
    extra = {"Metadata": {SHA256_METADATA: sha256}, "ContentType": "application/vnd.apache.parquet"}
    if not file.path.name.endswith(".parquet"):
        extra["ContentType"] = "application/octet-stream"
    _call(
        f"upload {file.path} to s3://{bucket}/{file.key}",
        s3.upload_file,
        str(file.path),
        bucket,
        file.key,
        ExtraArgs=extra,
        Config=config,
        Callback=report,
    )


def _list_objects(s3: Any, bucket: str, prefix: str) -> dict[str, dict[str, Any]]:
    objects: dict[str, dict[str, Any]] = {}
    paginator = s3.get_paginator("list_objects_v2")

    def pages() -> list[Any]:
        return list(paginator.paginate(Bucket=bucket, Prefix=prefix))

    for page in _call(f"list s3://{bucket}/{prefix}", pages):
        for item in page.get("Contents", []):
            objects[item["Key"]] = {"size": item["Size"], "etag": item.get("ETag", "")}
    return objects


def _require_bucket(s3: Any, bucket: str) -> None:
    from botocore.exceptions import ClientError

    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchBucket", "NotFound"):
            raise CloudError(
                f"bucket {bucket} does not exist: create it (`aws s3 mb s3://{bucket}`, or `fedkit gold publish "
                "--create-bucket`; fedkit creates no bucket unless asked) or run `fedkit demo`, which creates it in "
                "the sandbox"
            )
        if code in ("403", "AccessDenied", "Forbidden"):
            raise CloudError(f"access to bucket {bucket} is denied: check the AWS credentials in use")
        raise CloudError(f"cannot read bucket {bucket}: {_describe(exc)}")
    except Exception as exc:  # endpoint down, no credentials...
        raise CloudError(f"cannot reach S3 for bucket {bucket}: {_describe(exc)}")


def ensure_bucket(bucket: str, region: str) -> bool:
    """Create `bucket` in `region` unless it already exists and is ours; True when it was created."""
    from botocore.exceptions import ClientError

    from toolkit.aws import aws_client

    s3 = aws_client("s3", region=region)
    try:
        s3.head_bucket(Bucket=bucket)
        return False
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("403", "AccessDenied", "Forbidden"):
            raise CloudError(f"bucket {bucket} exists but is not readable with these credentials (owned by someone else?)")
        if code not in ("404", "NoSuchBucket", "NotFound"):
            raise CloudError(f"cannot read bucket {bucket}: {_describe(exc)}")
    except Exception as exc:
        raise CloudError(f"cannot reach S3 for bucket {bucket}: {_describe(exc)}")
    kwargs: dict[str, Any] = {"Bucket": bucket}
    if region != "us-east-1":  # us-east-1 is the one region that refuses an explicit LocationConstraint
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(**kwargs)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code == "BucketAlreadyOwnedByYou":
            return False
        if code == "BucketAlreadyExists":
            raise CloudError(f"bucket name {bucket} is taken by another AWS account: choose another gold.bucket")
        raise CloudError(f"cannot create bucket {bucket} in {region}: {_describe(exc)}")
    return True


def _call(step: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    from botocore.exceptions import BotoCoreError, ClientError
    from boto3.exceptions import S3UploadFailedError

    try:
        return function(*args, **kwargs)
    except (ClientError, BotoCoreError, S3UploadFailedError) as exc:
        raise CloudError(f"{step} failed: {_describe(exc)}")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
