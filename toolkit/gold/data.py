"""Read a gold table's rows (local or S3) as Arrow, hive partition columns typed as the catalog says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.errors import CloudError, FedkitError, UsageError
from toolkit.gold.arrow_plain import plain_table
from toolkit.gold.model import GoldTable
from toolkit.gold.storage import first_line, resolve_location

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.fs as pafs

_PARTITION_ARROW = {"date": "date32", "int64": "int64", "string": "string"}


def read_table_data(
    table: GoldTable, columns: list[str] | None = None, limit: int | None = None, files: list[str] | None = None
) -> "pa.Table":
    """The table's rows (all, or the first `limit`), with `columns` (case-insensitive names) in the order asked.

    Columns come back in catalog order when `columns` is None: data columns first, partition columns last.
    `files` (`s3://…` URIs or local paths under the table's location) reads exactly those files, as an engine's table
    definition selects them (`toolkit.registration.files`), instead of every file the gold reader sees.
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    if limit is not None and limit < 0:
        raise UsageError(f"limit must be >= 0 (got {limit})")
    names = [c.name for c in table.columns] if columns is None else [_resolve(table, name) for name in columns]
    fs, path = resolve_location(table.location)
    partitioning = None
    if table.partition_columns:
        fields = [
            pa.field(c.name, getattr(pa, _PARTITION_ARROW.get(c.type.kind, "string"))())
            for c in table.columns
            if c.partition
        ]
        partitioning = ds.partitioning(pa.schema(fields), flavor="hive")
    dataset = None
    try:
        if files is None:
            dataset = ds.dataset(
                path, filesystem=fs, format="parquet", partitioning=partitioning, ignore_prefixes=[".", "_"]
            )
        elif not files:  # the definition selects nothing: the table's columns, no rows
            schema = ds.dataset(path, filesystem=fs, format="parquet", partitioning=partitioning,
                                ignore_prefixes=[".", "_"]).schema
            return plain_table(_instants_in_utc(table, schema.empty_table().select(names)))
        else:
            paths = [f[len("s3://"):] if f.startswith("s3://") else f for f in files]
            base = path if not path.endswith(".parquet") else path.rpartition("/")[0]
            dataset = ds.dataset(paths, filesystem=fs, format="parquet", partitioning=partitioning,
                                 partition_base_dir=base)
        rows = dataset.head(limit, columns=names) if limit is not None else dataset.to_table(columns=names)
        return plain_table(_instants_in_utc(table, rows))  # view/large types as plain ones (see arrow_plain)
    except FileNotFoundError as exc:
        raise UsageError(f"table {table.name}: {table.location} does not exist ({exc})")
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as exc:
        _name_unreadable_file(table, fs, dataset.files if dataset is not None else [])
        error = CloudError if isinstance(exc, OSError) else FedkitError
        raise error(f"table {table.name}: cannot read {table.location}: {str(exc).splitlines()[0]}")


def _name_unreadable_file(table: GoldTable, fs: "pafs.FileSystem", files: list[str]) -> None:
    """After a failed read, find the file at fault: each is fetched whole (an I/O failure there is the storage's, and
    ends the search) and decoded apart, so a corrupt page is named as the file's problem (UsageError, exit 2)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for path in files:
        try:
            with fs.open_input_file(path) as handle:
                content = handle.read()
        except OSError:
            return
        try:
            pq.read_table(pa.BufferReader(content))
        except (pa.ArrowException, OSError, ValueError) as exc:
            shown = f"s3://{path}" if table.location.startswith("s3://") else path
            raise UsageError(f"{shown}: not a readable Parquet file (table {table.name}: {first_line(exc)})")


def _instants_in_utc(table: GoldTable, rows: "pa.Table") -> "pa.Table":
    """Columns the catalog calls instants but Arrow reads without a zone (Parquet INT96) get their UTC zone back.

    INT96 values already count from the UTC epoch, so this only labels them: every engine then sees the type the
    catalog (and BigQuery) gives the column.
    """
    import pyarrow as pa
    import pyarrow.types as t

    for index, field in enumerate(rows.schema):
        column = table.column(field.name)
        if column is not None and column.type.kind == "timestamptz" and t.is_timestamp(field.type) and field.type.tz is None:
            utc = pa.timestamp(field.type.unit, tz="UTC")
            rows = rows.set_column(index, pa.field(field.name, utc, field.nullable), rows.column(index).cast(utc))
    return rows


def _resolve(table: GoldTable, name: str) -> str:
    column = table.column(name)
    if column is None:
        known = ", ".join(c.name for c in table.columns)
        raise UsageError(f"table {table.name} has no column {name!r} (columns: {known})")
    return column.name
