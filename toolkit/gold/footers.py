"""Parquet footers, and only footers: fetched from local disk or S3 (an I/O failure is the storage's: CloudError), then
parsed apart (anything wrong there is the file's: UsageError naming it, exit 2). Data pages are never read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Sequence

from toolkit.errors import CloudError, UsageError
from toolkit.gold.storage import first_line

if TYPE_CHECKING:
    import pyarrow.fs as pafs

_FOOTER_THREADS = 8


def read_footers(fs: "pafs.FileSystem", files: Sequence[Any]) -> list[Any]:
    """Each file's Parquet metadata (files have `.path` inside `fs` and `.shown` for people), read in parallel."""
    if len(files) == 1:
        return [_footer(fs, files[0])]
    with ThreadPoolExecutor(max_workers=min(_FOOTER_THREADS, len(files))) as pool:
        return list(pool.map(lambda file: _footer(fs, file), files))


def _footer(fs: "pafs.FileSystem", file: Any) -> Any:
    """The file's Parquet metadata. The footer's bytes are fetched first (an I/O failure is the storage's, CloudError)
    and parsed apart (anything wrong there is the file's: UsageError naming it, exit 2)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with fs.open_input_file(file.path) as handle:
            footer = _footer_bytes(handle, file)
    except OSError as exc:
        raise CloudError(f"{file.shown}: cannot read: {first_line(exc)}")
    try:
        meta = pq.read_metadata(pa.BufferReader(footer))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise UsageError(f"{file.shown}: not a readable Parquet file (corrupt footer: {first_line(exc)})")
    if meta.num_columns == 0:
        raise UsageError(f"{file.shown}: the Parquet file has no columns; no engine can register it, "
                         "rewrite or remove it")
    return meta


# A Parquet file ends with its Thrift footer, the footer's length (4 bytes, little-endian) and the magic `PAR1`
# (https://parquet.apache.org/docs/file-format/); the smallest valid file is `PAR1` + footer + length + `PAR1`.
_MAGIC = b"PAR1"
_MAX_FOOTER = 256 * 1024 * 1024


# The last bytes are fetched in one ranged GET: one request instead of two for the usual footer, and a buffer large
# enough for an S3 error body (SlowDown, AccessDenied: a few hundred bytes). pyarrow's S3 client writes the answer to
# a ranged read straight into a buffer of the range's size, so an error answer to an 8-byte read overflows it and
# comes back as an unretried INTERNAL_FAILURE ("Failed to flush response stream") instead of a throttle to retry.
_TAIL_READ = 64 * 1024


def _footer_bytes(handle: Any, file: Any) -> bytes:
    """`PAR1` + footer + length + `PAR1`: what `read_metadata` parses, without the data pages (I/O errors propagate)."""
    size = handle.size()
    if size < 12:
        raise UsageError(f"{file.shown}: not a readable Parquet file ({size} bytes)")
    window = min(size, _TAIL_READ)
    handle.seek(size - window)
    block = handle.read(window)
    tail = block[-8:]
    if tail[4:] != _MAGIC:
        raise UsageError(f"{file.shown}: not a readable Parquet file (no Parquet magic at the end: "
                         "truncated, or another format under a .parquet name)")
    length = int.from_bytes(tail[:4], "little")
    if length > size - 12 or length > _MAX_FOOTER:
        raise UsageError(f"{file.shown}: not a readable Parquet file (footer length {length} does not fit in "
                         f"{size} bytes: truncated or corrupt)")
    if length + 8 <= len(block):
        return _MAGIC + block[len(block) - 8 - length:-8] + tail
    handle.seek(size - 8 - length)
    return _MAGIC + handle.read(length) + tail
