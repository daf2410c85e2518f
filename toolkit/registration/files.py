"""Which S3 files a table definition reads, on each engine: the DDL's text and the sandbox's reading, from one place.

Snowflake. An external table reads the files under `LOCATION = @stage/path/` whose path matches `PATTERN`
(docs.snowflake.com "CREATE EXTERNAL TABLE": LOCATION is `@[namespace.]stage[/path]`, "Neither string literals nor
SQL variables are supported", and "cannot reference specific file names. To point an external table to individual
staged files, use the PATTERN parameter"). The regex is applied to the file's path with the stage URL's own path
trimmed (docs "COPY INTO <table>", PATTERN: "Snowpipe trims any path segments in the stage definition from the storage
location and applies the regular expression to any remaining path segments and filenames"; external tables are kept
current by the same notification machinery). Whether Snowflake takes a full match or a search is not stated there, so
fedkit's patterns carry their own `^…$` anchors: they mean the same under either reading. Only constructs common to
Java and POSIX regexes are used (literal characters, bracket classes, `( )*`), never a backslash class.
A folder table reads `*.parquet` below its folder, skipping every path segment Spark and friends hide (`_SUCCESS`,
`_temporary/`, `.part-0.parquet.crc`: a leading `_` or `.`), like fedkit's own gold reader (`toolkit.gold.storage
.is_hidden`); a single-file table reads that one file, so `orders.parquet` never picks up `returned_orders.parquet`.
A folder whose name a bare `@stage/path/` cannot spell (a space, a quote: no string literal is allowed there) is not
refused: its LOCATION stops at the nearest folder above that can be spelled and the PATTERN names the rest exactly.

BigQuery. `uris` takes one `*` wildcard that may sit inside or at the end of the object name and matches across `/`
(docs "Batch loading data", wildcard support; "External tables for S3" (omni-aws-create-external-table) uses
`uris = ['s3://mybucket/*.parquet']` with `hive_partition_uri_prefix` for partitioned data). `…/t/*.parquet` keeps
`_SUCCESS` and `.crc` files out; unlike Snowflake's PATTERN, nothing in `uris` can exclude a `.parquet` file below
Spark's `_temporary/`, so the sandbox reads those too, as BigQuery would.
"""

from __future__ import annotations

import re

# What a bare `@stage/path/` segment may hold (the grammar has no quoting for it): the conservative set fedkit has
# always rendered unquoted.
_STAGE_SEGMENT = re.compile(r"^[A-Za-z0-9_=.\-]+$")
_REGEX_PLAIN = re.compile(r"[A-Za-z0-9_=/\-]")
_VISIBLE_SEGMENT = "[^_./][^/]*"  # a path segment that does not start with `_` or `.` (hidden by Spark, Hadoop)
PARQUET_SUFFIX = ".parquet"


def regex_literal(text: str) -> str:
    """`text` as a regex that matches only itself: plain characters as they are, others in a bracket class (`[.]`).

    `^`, `[`, `]` and `\\` cannot sit alone in a bracket class, so they take a backslash (table paths never hold the
    last three: `toolkit.gold.names.path_problem`)."""
    out = []
    for char in text:
        if _REGEX_PLAIN.match(char):
            out.append(char)
        elif char in "^[]\\":
            out.append("\\" + char)
        else:
            out.append(f"[{char}]")
    return "".join(out)


def stage_folder(relative: str) -> str:
    """The longest leading part of `relative` (a folder under the stage URL) that a bare `@stage/path/` can spell."""
    kept = []
    for segment in [s for s in relative.strip("/").split("/") if s]:
        if not _STAGE_SEGMENT.match(segment) or segment in (".", ".."):
            break
        kept.append(segment)
    return "/".join(kept)


def snowflake_pattern(relative: str, single_file: bool) -> str:
    """The anchored PATTERN for a table at `relative` (its path under the stage URL: a folder, or one `.parquet` file)."""
    relative = relative.strip("/")
    if single_file:
        return "^" + regex_literal(relative) + "$"
    head = regex_literal(relative) + "/" if relative else ""
    return f"^{head}({_VISIBLE_SEGMENT}/)*{_VISIBLE_SEGMENT}[.]parquet$"


def snowflake_reads(pattern: str, stage_relative_key: str) -> bool:
    """Whether a file at `stage_relative_key` (its path under the stage URL) is read by a table with `pattern`."""
    return re.fullmatch(pattern, stage_relative_key) is not None


def bigquery_uris(location: str, single_file: bool) -> tuple[str, ...]:
    """`uris` for a table at `location` (s3:// URI of its folder or file): the file itself, or every `.parquet` below."""
    return (location,) if single_file else (location.rstrip("/") + "/*" + PARQUET_SUFFIX,)


def bigquery_reads(uris: tuple[str, ...], uri: str) -> bool:
    """Whether BigQuery reads the object `uri` for a table with `uris` (one `*` each, matching any characters)."""
    for pattern in uris:
        head, star, tail = pattern.partition("*")
        if not star:
            if uri == pattern:
                return True
        elif len(uri) >= len(head) + len(tail) and uri.startswith(head) and uri.endswith(tail):
            return True
    return False
