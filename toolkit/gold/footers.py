"""Parquet footers, and only footers: fetched from local disk or S3 (an I/O failure is the storage's: CloudError), then
parsed apart (anything wrong there is the file's: UsageError naming it, exit 2) into a plain `FooterSummary` (what the
catalog needs: columns, types, row count; JSON round-trip, so it can be cached). Data pages are never read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from toolkit.errors import CloudError, UsageError
from toolkit.gold.names import name_problem
from toolkit.gold.storage import first_line
from toolkit.types import LogicalType

if TYPE_CHECKING:
    import pyarrow.fs as pafs

_FOOTER_THREADS = 8


@dataclass(frozen=True)
class FooterColumn:
    name: str
    type: LogicalType
    nullable: bool
    arrow_type: str  # the file's own Arrow type, " (Parquet INT96)" appended when stored so


@dataclass(frozen=True)
class FooterSummary:
    """One file's footer as the catalog uses it: top-level columns in file order, and the row count."""

    columns: tuple[FooterColumn, ...]
    num_rows: int

    def to_json(self) -> dict[str, Any]:
        return {"num_rows": self.num_rows,
                "columns": [[c.name, c.type.to_json(), c.nullable, c.arrow_type] for c in self.columns]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FooterSummary":
        columns = tuple(FooterColumn(str(name), LogicalType.from_json(kind), bool(nullable), str(arrow))
                        for name, kind, nullable, arrow in data["columns"])
        return cls(columns, int(data["num_rows"]))


def summarize(meta: Any, shown: str) -> FooterSummary:
    """The catalog's view of one footer; a column no engine can hold is refused naming the file (UsageError)."""
    from toolkit.types import from_arrow

    int96 = _int96_columns(meta)
    columns = []
    for field in meta.schema.to_arrow_schema():
        problem = name_problem(field.name)
        if problem:
            raise UsageError(f"{shown}: column {field.name!r} {problem}; rename it in the Parquet")
        try:
            kind = from_arrow(field.type, field.name in int96)
        except ValueError as exc:
            raise UsageError(f"{shown}: column {field.name!r}: {exc}")
        arrow = str(field.type) + (" (Parquet INT96)" if field.name in int96 else "")
        columns.append(FooterColumn(field.name, kind, bool(field.nullable), arrow))
    return FooterSummary(tuple(columns), int(meta.num_rows))


def _int96_columns(meta: Any) -> set[str]:
    """Top-level columns stored as Parquet INT96 (the footer's physical type; Arrow's type no longer says so)."""
    return {
        meta.schema.column(i).path
        for i in range(meta.num_columns)
        if meta.schema.column(i).physical_type == "INT96" and meta.schema.column(i).max_definition_level <= 1
    }


def read_footers(fs: "pafs.FileSystem", files: Sequence[Any]) -> list[FooterSummary]:
    """Each file's footer summary (files have `.path` inside `fs` and `.shown` for people), read in parallel."""
    return _parallel(lambda file: _footer(fs, file), files)


def read_s3_footers(s3: Any, files: Sequence[Any]) -> list[FooterSummary]:
    """Each S3 object's footer summary (files have `.bucket`, `.key`, `.size`, `.etag`, `.shown`): one ranged GET of
    the object's tail per file (two for a footer over 64 KiB), conditional on the ETag the listing gave. The size
    comes from the listing, so no HEAD is sent; `If-Match` makes the bytes read be the version that ETag names, so a
    summary cached under that ETag is never another version's (S3 answers 412 when the object changed meanwhile:
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)."""
    return _parallel(lambda file: _s3_footer(s3, file), files)


def _parallel(read: Callable[[Any], FooterSummary], files: Sequence[Any]) -> list[FooterSummary]:
    if len(files) <= 1:
        return [read(file) for file in files]
    with ThreadPoolExecutor(max_workers=min(_FOOTER_THREADS, len(files))) as pool:
        return list(pool.map(read, files))


def _footer(fs: "pafs.FileSystem", file: Any) -> FooterSummary:
    try:
        with fs.open_input_file(file.path) as handle:
            size = handle.size()

            def read(offset: int, length: int) -> bytes:
                handle.seek(offset)
                return bytes(handle.read(length))

            footer = _footer_bytes(size, read, file)
    except OSError as exc:
        raise CloudError(f"{file.shown}: cannot read: {first_line(exc)}")
    return _parse(footer, file)


def _s3_footer(s3: Any, file: Any) -> FooterSummary:
    from botocore.exceptions import BotoCoreError, ClientError

    def read(offset: int, length: int) -> bytes:
        answer = s3.get_object(Bucket=file.bucket, Key=file.key, IfMatch=file.etag,
                               Range=f"bytes={offset}-{offset + length - 1}")
        return answer["Body"].read()

    try:
        footer = _footer_bytes(file.size, read, file)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("PreconditionFailed", "412"):
            raise CloudError(f"{file.shown}: changed while fedkit read it (its ETag is no longer the one listed); "
                             "rerun once the writer is done")
        raise CloudError(f"{file.shown}: cannot read: {first_line(exc)}")
    except BotoCoreError as exc:
        raise CloudError(f"{file.shown}: cannot read: {first_line(exc)}")
    return _parse(footer, file)


def _parse(footer: bytes, file: Any) -> FooterSummary:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(pa.BufferReader(footer))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise UsageError(f"{file.shown}: not a readable Parquet file (corrupt footer: {first_line(exc)})")
    if meta.num_columns == 0:
        raise UsageError(f"{file.shown}: the Parquet file has no columns; no engine can register it, "
                         "rewrite or remove it")
    return summarize(meta, file.shown)


# A Parquet file ends with its Thrift footer, the footer's length (4 bytes, little-endian) and the magic `PAR1`
# (https://parquet.apache.org/docs/file-format/); the smallest valid file is `PAR1` + footer + length + `PAR1`.
_MAGIC = b"PAR1"
_MAX_FOOTER = 256 * 1024 * 1024
MIN_PARQUET_SIZE = 12


# The last bytes are fetched in one ranged GET: one request instead of two for the usual footer, and a buffer large
# enough for an S3 error body (SlowDown, AccessDenied: a few hundred bytes). pyarrow's S3 client writes the answer to
# a ranged read straight into a buffer of the range's size, so an error answer to an 8-byte read overflows it and
# comes back as an unretried INTERNAL_FAILURE ("Failed to flush response stream") instead of a throttle to retry.
_TAIL_READ = 64 * 1024


def too_small(size: int, shown: str) -> UsageError | None:
    """The check every listed file gets, with no read: fewer bytes than the smallest Parquet file."""
    if size < MIN_PARQUET_SIZE:
        return UsageError(f"{shown}: not a readable Parquet file ({size} bytes)")
    return None


def _footer_bytes(size: int, read: Callable[[int, int], bytes], file: Any) -> bytes:
    """`PAR1` + footer + length + `PAR1`: what `read_metadata` parses, without the data pages (I/O errors propagate)."""
    small = too_small(size, file.shown)
    if small is not None:
        raise small
    window = min(size, _TAIL_READ)
    block = read(size - window, window)
    tail = block[-8:]
    if len(block) != window or tail[4:] != _MAGIC:
        raise UsageError(f"{file.shown}: not a readable Parquet file (no Parquet magic at the end: "
                         "truncated, or another format under a .parquet name)")
    length = int.from_bytes(tail[:4], "little")
    if length > size - 12 or length > _MAX_FOOTER:
        raise UsageError(f"{file.shown}: not a readable Parquet file (footer length {length} does not fit in "
                         f"{size} bytes: truncated or corrupt)")
    if length + 8 <= len(block):
        return _MAGIC + block[len(block) - 8 - length:-8] + tail
    return _MAGIC + read(size - 8 - length, length) + tail
