"""Where gold bytes live: a local folder or S3 (pyarrow filesystems), resolved the same way everywhere."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from toolkit.errors import CloudError, UsageError

if TYPE_CHECKING:
    import pyarrow.fs as pafs


def s3_filesystem(region: str | None = None) -> "pafs.S3FileSystem":
    """A pyarrow S3 filesystem for the cloud or the sandbox, resolved like `toolkit.aws.aws_client`.

    Endpoint: `AWS_ENDPOINT_URL`, else the running sandbox's moto server, else AWS. Credentials: the sandbox's, else
    `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else the SDK's default chain.
    """
    import pyarrow.fs as pafs

    from toolkit.aws import aws_limits
    from toolkit.sandbox.state import sandbox_aws_settings

    settings = dict(sandbox_aws_settings() or {})
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or settings.get("endpoint_url")
    limits = aws_limits()  # the same bounds as boto3's clients: a footer read never hangs
    kwargs: dict[str, Any] = {
        "region": region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        "connect_timeout": limits.connect_timeout,
        "request_timeout": limits.read_timeout,
        "retry_strategy": pafs.AwsStandardS3RetryStrategy(max_attempts=limits.max_attempts),
    }
    if endpoint:
        parsed = urlparse(endpoint if "://" in endpoint else f"https://{endpoint}")
        kwargs["endpoint_override"] = parsed.netloc + parsed.path.rstrip("/")
        kwargs["scheme"] = parsed.scheme or "https"
    if settings.get("aws_access_key_id"):
        kwargs["access_key"] = settings["aws_access_key_id"]
        kwargs["secret_key"] = settings["aws_secret_access_key"]
    elif os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        kwargs["access_key"] = os.environ["AWS_ACCESS_KEY_ID"]
        kwargs["secret_key"] = os.environ["AWS_SECRET_ACCESS_KEY"]
        if os.environ.get("AWS_SESSION_TOKEN"):
            kwargs["session_token"] = os.environ["AWS_SESSION_TOKEN"]
    return pafs.S3FileSystem(**kwargs)


def resolve_location(location: str, region: str | None = None) -> tuple["pafs.FileSystem", str]:
    """(filesystem, path inside it) for a local path or an `s3://bucket/key` URI."""
    import pyarrow.fs as pafs

    if location.startswith("s3://"):
        path = location[len("s3://") :].strip("/")
        if not path:
            raise UsageError(f"{location}: an S3 location needs a bucket (s3://bucket/prefix)")
        return s3_filesystem(region), path
    if "://" in location:
        raise UsageError(f"{location}: only local paths and s3:// locations are supported")
    return pafs.LocalFileSystem(), str(Path(location).expanduser().absolute())


def is_hidden(name: str) -> bool:
    """Files and folders Spark and friends write next to the data (`_SUCCESS`, `_temporary`, `.part-0.crc`)."""
    return name.startswith(("_", "."))


def join(location: str, child: str) -> str:
    return location.rstrip("/") + "/" + child


def info(fs: "pafs.FileSystem", path: str, location: str) -> Any:
    try:
        return fs.get_file_info(path)
    except OSError as exc:
        raise CloudError(f"{location}: cannot read: {first_line(exc)}")


def list_dir(fs: "pafs.FileSystem", path: str, location: str, recursive: bool) -> list[Any]:
    import pyarrow.fs as pafs

    try:
        return fs.get_file_info(pafs.FileSelector(path, recursive=recursive, allow_not_found=True))
    except OSError as exc:
        raise CloudError(f"{location}: cannot list: {first_line(exc)}")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
