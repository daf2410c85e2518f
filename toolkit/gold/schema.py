"""Read gold schemas from Parquet footers (never a full scan), locally or in S3, into plain `GoldTable`s.

A table is one Parquet file or a folder of them; hive `key=value` folders are partition columns whose types are
inferred from the folder values. Files Spark leaves behind are ignored: every name starting with `_` or `.`
(`_SUCCESS`, `_temporary/`, `.part-*.crc`, Databricks' `_committed_*`/`_started_*`, the `_metadata` and
`_common_metadata` summaries old Spark writes, which repeat the footers). Every other file of a table is data: one
that is not readable Parquet (zero bytes, truncated, corrupt footer, another format) or has no columns is refused
with its name (UsageError, exit 2), before any command uses the catalog.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import CloudError, ConfigError, UsageError
from toolkit.gold.files import DataFile, local_data_files, s3_client, s3_data_files
from toolkit.gold.footers import FooterSummary, read_footers, read_s3_footers, too_small
from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.gold.names import path_problem
from toolkit.gold.sampling import footer_sample
from toolkit.gold.storage import info, is_hidden, join, list_dir, resolve_location, s3_filesystem
from toolkit.types import LogicalType

if TYPE_CHECKING:
    import pyarrow.fs as pafs

    from toolkit.config import LoadedConfig
    from toolkit.gold.footer_cache import FooterCache

HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^[+-]?\d{1,18}$")

__all__ = ["discover_tables", "infer_partition_type", "read_catalog", "read_table", "resolve_location", "s3_filesystem"]


# -- one table ---------------------------------------------------------------------------------------------------------
def read_table(location: str, name: str, region: str | None = None, *, sample: bool = False,
               cache: "FooterCache | None" = None, s3: Any = None) -> GoldTable:
    """Read one table's schema, bytes and file count from its listing and Parquet footers.

    Every file's footer is read unless `sample` is set: then only a bounded sample per partition
    (`toolkit.gold.sampling`), and `row_count` is None (not counted). `cache` answers for files whose ETag and size
    it has seen, and learns the ones read. In S3 the listing gives sizes and ETags (no HEAD per file).
    """
    if location.startswith("s3://"):
        location = location.rstrip("/")
        s3 = s3 if s3 is not None else s3_client(region)
        files = s3_data_files(s3, location, name)
        fs = None
    else:
        import pyarrow.fs as pafs

        fs, root = resolve_location(location, region)
        location = root
        entry = info(fs, root, location)
        if entry.type == pafs.FileType.File:
            files = [DataFile(root, location, entry.size or 0, ())]
        elif entry.type == pafs.FileType.Directory:
            files = local_data_files(fs, root, location)
        else:
            raise UsageError(f"table {name}: {location} does not exist")
    if not files:
        raise UsageError(f"table {name}: no Parquet files under {location}")
    partition_keys = _partition_keys(name, files)
    for file in files:  # what a listing tells without a read, for every file
        small = too_small(file.size, file.shown)
        if small is not None:
            raise small
    footers = _footers(files, location, sample, cache, fs, s3)
    columns = _data_columns(name, footers)
    data_names = {c.name for c in columns}
    for key in partition_keys:
        if key in data_names:
            raise UsageError(
                f"table {name}: partition column {key!r} is also a column inside {footers[0][0].shown}; "
                "write the files without it (Spark's partitionBy does)"
            )
    columns += [_partition_column(key, [dict(f.partitions)[key] for f in files]) for key in partition_keys]
    _refuse_case_clash(name, location, columns)
    return GoldTable(
        name=name,
        location=location,
        columns=tuple(columns),
        row_count=sum(summary.num_rows for _, summary in footers) if len(footers) == len(files) else None,
        bytes=sum(f.size for f in files),
        files=len(files),
    )


def _footers(files: list[DataFile], location: str, sample: bool, cache: "FooterCache | None", fs: Any,
             s3: Any) -> list[tuple[DataFile, FooterSummary]]:
    """(file, footer summary) in path order: the sample (or every file), plus every file the cache knows as it is."""
    known: dict[str, FooterSummary] = {}
    if cache is not None:
        for file in files:
            hit = cache.get(file.shown, file.etag, file.size)
            if hit is not None:
                known[file.path] = hit
    chosen = footer_sample(files) if sample else files
    missing = [file for file in chosen if file.path not in known]
    read = read_s3_footers(s3, missing) if s3 is not None else read_footers(fs, missing)
    for file, summary in zip(missing, read):
        known[file.path] = summary
        if cache is not None:
            cache.put(file.shown, file.etag, file.size, summary)
    if cache is not None:
        cache.listed(location, [file.shown for file in files])
    return [(file, known[file.path]) for file in files if file.path in known]


def table_files(location: str, region: str | None = None) -> list[str]:
    """The data files of a table folder as the catalog reads them (Spark's side files left out), sorted; paths are
    inside the location's filesystem (absolute local paths, or `bucket/key` in S3)."""
    fs, root = resolve_location(location, region)
    return [file.path for file in local_data_files(fs, root, location.rstrip("/"))]


def _partition_keys(name: str, files: list[DataFile]) -> list[str]:
    first = files[0]
    keys = [key for key, _ in first.partitions]
    for other in files[1:]:
        if [key for key, _ in other.partitions] != keys:
            raise UsageError(
                f"table {name}: partition folders differ: {first.shown} has {keys or 'none'}, "
                f"{other.shown} has {[key for key, _ in other.partitions] or 'none'}"
            )
    if len(set(keys)) != len(keys):
        raise UsageError(f"table {name}: {first.shown} repeats a partition key ({'/'.join(keys)})")
    return keys


def _data_columns(name: str, footers: list[tuple[DataFile, FooterSummary]]) -> list[Column]:
    """Columns in the first file's order; every other file read must have the same columns with the same types."""
    reference: dict[str, LogicalType] | None = None
    nullable: dict[str, bool] = {}
    arrow_types: dict[str, str] = {}
    for file, summary in footers:
        current = {column.name: column.type for column in summary.columns}
        for column in summary.columns:
            nullable[column.name] = nullable.get(column.name, False) or column.nullable
            arrow_types.setdefault(column.name, column.arrow_type)
        if reference is None:
            reference, first = current, file
            continue
        problem = _schema_difference(reference, current)
        if problem:
            raise UsageError(f"table {name}: incompatible schemas: {first.shown} and {file.shown}: {problem}")
    assert reference is not None
    return [Column(col, kind, nullable[col], False, arrow_types[col]) for col, kind in reference.items()]


def _schema_difference(first: dict[str, LogicalType], other: dict[str, LogicalType]) -> str | None:
    missing = [c for c in first if c not in other]
    extra = [c for c in other if c not in first]
    if missing:
        return f"column {missing[0]!r} is missing from the second"
    if extra:
        return f"column {extra[0]!r} is only in the second"
    for col, kind in first.items():
        if other[col] != kind:
            return f"column {col!r} is {kind} in the first and {other[col]} in the second"
    return None


def infer_partition_type(values: list[str]) -> LogicalType:
    """date when every value is YYYY-MM-DD, int64 when every value is an integer, else string (nulls ignored)."""
    present = [v for v in values if v != HIVE_NULL]
    if present and all(_DATE_RE.match(v) and _valid_date(v) for v in present):
        return LogicalType("date")
    if present and all(_INT_RE.match(v) for v in present):
        return LogicalType("int64")
    return LogicalType("string")


def _valid_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _partition_column(key: str, values: list[str]) -> Column:
    return Column(key, infer_partition_type(values), nullable=HIVE_NULL in values, partition=True)


def _refuse_case_clash(name: str, location: str, columns: list[Column]) -> None:
    seen: dict[str, str] = {}
    for column in columns:
        lowered = column.name.lower()
        if lowered in seen:
            raise UsageError(
                f"table {name} ({location}): columns {seen[lowered]!r} and {column.name!r} differ only by case; "
                "BigQuery and Snowflake cannot tell them apart, rename one"
            )
        seen[lowered] = column.name


# -- many tables -------------------------------------------------------------------------------------------------------
def discover_tables(root: str, region: str | None = None) -> list[str]:
    """Table names under `root`: its immediate sub-folders and `*.parquet` files (without the suffix), sorted."""
    import pyarrow.fs as pafs

    fs, path = resolve_location(root, region)
    names = []
    for entry in list_dir(fs, path, root, recursive=False):
        base = entry.base_name
        if is_hidden(base):
            continue
        if entry.type == pafs.FileType.Directory:
            names.append(base)
        elif entry.type == pafs.FileType.File and base.endswith(".parquet"):
            names.append(base[: -len(".parquet")])
    return sorted(set(names))


def read_catalog(loaded: "LoadedConfig", source: str = "local", *, sample: bool = False) -> GoldCatalog:
    """Every gold table of the project, from `gold.local_dir` ("local") or `s3://bucket/prefix` ("s3").

    S3 footers go through the footer cache under `.fedkit/` (`toolkit.gold.footer_cache`); `sample` reads a bounded
    sample of footers per partition instead of every one (what `plan`/`apply` do; row counts are then None).
    """
    gold = loaded.config.gold
    region = loaded.config.aws.region if loaded.config.aws else None
    if source == "local":
        if not gold.local_dir:
            raise UsageError(f"{loaded.path}: gold.local_dir is not set; set it or read the S3 copy with --source s3")
        local = loaded.resolve(gold.local_dir)
        if not local.is_dir():
            raise UsageError(
                missing_gold_folder(loaded, local)
            )
        root, hint = str(local), "run `fedkit gold sample`"
    elif source == "s3":
        bucket = loaded.s3_bucket("reading the gold layer from S3")
        root, hint = f"s3://{bucket}/{gold.prefix.rstrip('/')}", "run `fedkit gold publish`"
        _require_aws_credentials()
        _require_bucket(bucket, region)
    else:
        raise UsageError(f"unknown gold source {source!r}: use 'local' or 's3'")

    locations = _table_locations(loaded, root, region)
    if not locations:
        raise UsageError(f"no gold tables under {root}; {hint}")
    _check_table_names(root, locations)
    cache = s3 = None
    if source == "s3":
        from toolkit.gold.footer_cache import FooterCache

        cache, s3 = FooterCache(), s3_client(region)
    tables = []
    for name in sorted(locations):
        table = read_table(locations[name], name, region, sample=sample, cache=cache, s3=s3)
        _check_partitions(loaded, table)
        tables.append(table)
    if cache is not None:
        cache.save()
    return GoldCatalog(tuple(tables))


def _check_table_names(root: str, locations: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    for name in sorted(locations):
        problem = path_problem(name)
        if problem:
            raise UsageError(f"{root}: table folder {name!r} {problem}; rename it")
        if name.lower() in seen:
            raise UsageError(f"{root}: tables {seen[name.lower()]!r} and {name!r} differ only by case; Snowflake and "
                             "DuckDB cannot tell them apart, rename one")
        seen[name.lower()] = name


def _declared_path(loaded: "LoadedConfig", name: str, path: str) -> str:
    """`gold.tables.<name>.path` as a literal relative path under the gold root (no `..`, no pattern characters)."""
    for segment in path.strip("/").split("/"):
        problem = path_problem(segment) if segment else "has an empty step ('//')"
        if problem:
            line = _config_line(loaded.path, ("gold", "tables", name, "path"))
            raise ConfigError(f"{loaded.path}{f':{line}' if line else ''}: gold.tables.{name}.path: {path!r}: "
                              f"{segment!r} {problem}")
    return path.strip("/")


def _table_locations(loaded: "LoadedConfig", root: str, region: str | None) -> dict[str, str]:
    import pyarrow.fs as pafs

    declared = loaded.config.gold.tables
    discovered = discover_tables(root, region)
    if not discovered:
        return {}
    paths = {name: _declared_path(loaded, name, opts.path) for name, opts in declared.items() if opts.path}
    claimed = {path.split("/")[0] for path in paths.values()}
    locations: dict[str, str] = {}
    for name in discovered:
        if name in declared or name in claimed:
            continue
        locations[name] = _child_location(root, name, region)
    for name, opts in declared.items():
        if opts.path:
            location = join(root, paths[name])
            fs, path = resolve_location(location, region)
            if info(fs, path, location).type == pafs.FileType.NotFound:
                line = _config_line(loaded.path, ("gold", "tables", name, "path"))
                raise ConfigError(
                    f"{loaded.path}{f':{line}' if line else ''}: gold.tables.{name}.path: {location} does not exist"
                )
            locations[name] = location
            continue
        if name not in discovered:
            line = _config_line(loaded.path, ("gold", "tables", name))
            raise ConfigError(
                f"{loaded.path}{f':{line}' if line else ''}: gold.tables.{name}: no folder or {name}.parquet under {root}"
            )
        locations[name] = _child_location(root, name, region)
    return locations


def _require_aws_credentials() -> None:
    """Missing AWS credentials stop here, as in every boto3 path (exit 2): pyarrow's S3 client would otherwise send
    unsigned requests and report a network or access error (12 s of DNS retries on a CI runner without AWS)."""
    from toolkit.sandbox.state import sandbox_aws_settings

    if sandbox_aws_settings():
        return
    import boto3

    if boto3.Session().get_credentials() is None:
        from toolkit.errors import MissingCredentials

        raise MissingCredentials("reading the gold layer from S3: no AWS credentials found (set AWS_PROFILE, or start "
                                 "the sandbox: fedkit sandbox up)")


def _require_bucket(bucket: str, region: str | None) -> None:
    import pyarrow.fs as pafs

    fs, path = resolve_location(f"s3://{bucket}", region)
    if info(fs, path, f"s3://{bucket}").type == pafs.FileType.NotFound:
        raise CloudError(f"bucket {bucket} does not exist (or is not visible with these credentials): create it "
                         f"(`aws s3 mb s3://{bucket}`) and run `fedkit gold publish`, or run `fedkit demo` for the sandbox")


def _child_location(root: str, name: str, region: str | None) -> str:
    """The folder `root/name`, or the file `root/name.parquet` when there is no such folder."""
    import pyarrow.fs as pafs

    folder = join(root, name)
    fs, path = resolve_location(folder, region)
    if info(fs, path, folder).type == pafs.FileType.Directory:
        return folder
    return folder + ".parquet"


def _check_partitions(loaded: "LoadedConfig", table: GoldTable) -> None:
    options = loaded.config.gold.tables.get(table.name)
    if options is None or not options.partition_columns:
        return
    found = list(table.partition_columns)
    if list(options.partition_columns) != found:
        line = _config_line(loaded.path, ("gold", "tables", table.name, "partition_columns"))
        raise ConfigError(
            f"{loaded.path}{f':{line}' if line else ''}: gold.tables.{table.name}.partition_columns: "
            f"declared {list(options.partition_columns)} but {table.location} is partitioned by {found or 'nothing'}"
        )


def _config_line(path: Path, keys: tuple[str, ...]) -> int | None:
    """The 1-based line of a key path in the YAML config (for error messages); None when it cannot be found."""
    from toolkit.config_errors import line_of
    from toolkit.config_yaml import read_config_yaml

    try:
        return line_of(read_config_yaml(Path(path)).root, keys)  # the same bounded reader as load_config
    except ConfigError:
        return None


def missing_gold_folder(loaded: "LoadedConfig", local: Path) -> str:
    """The one-line error for a gold.local_dir that is not there: a folder from another working directory, or data
    that was never written (then the sample generator is the way to get some)."""
    gold = loaded.config.gold
    assert gold.local_dir is not None
    where = f"gold folder {local} does not exist (gold.local_dir {gold.local_dir!r} in {loaded.path})"
    if not Path(gold.local_dir).is_absolute():
        hint = loaded.missing_path_hint(gold.local_dir)
        if "exists under" in hint:
            return f"{where}: {hint}"
        return f"{where}: {hint}, or create sample data with `fedkit gold sample --out {gold.local_dir}`"
    return f"{where}; create sample data with `fedkit gold sample --out {gold.local_dir}`"
