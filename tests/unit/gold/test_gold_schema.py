"""Reading gold schemas from Parquet footers: partitions, type inference, errors, catalogs from the config."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.config import load_config
from toolkit.errors import ConfigError, FedkitError, UsageError
from toolkit.gold.data import read_table_data
from toolkit.gold.schema import discover_tables, infer_partition_type, read_catalog, read_table
from toolkit.types import LogicalType


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _events(tmp_path: Path) -> Path:
    root = tmp_path / "events"
    for day, region, bucket_no, rows in (("2024-01-01", "eu", 1, 2), ("2024-01-02", "us", 2, 3), ("2024-01-02", "eu", 10, 1)):
        part = root / f"day={day}" / f"region={region}" / f"bucket={bucket_no}" / "part-00000.parquet"
        _write(part, pa.table({"id": pa.array(range(rows), pa.int64()), "Amount": pa.array([1.5] * rows)}))
    (root / "_SUCCESS").write_text("")
    (root / "day=2024-01-01" / ".part-00000.parquet.crc").write_text("junk")
    _write(root / "_temporary" / "0" / "part-9.parquet", pa.table({"other": [1]}))
    return root


def test_hive_partitions_are_columns_typed_from_their_values(tmp_path: Path) -> None:
    root = _events(tmp_path)
    table = read_table(str(root), "events")
    assert [(c.name, c.type.kind, c.partition) for c in table.columns] == [
        ("id", "int64", False),
        ("Amount", "float64", False),
        ("day", "date", True),
        ("region", "string", True),
        ("bucket", "int64", True),
    ]
    assert table.partition_columns == ("day", "region", "bucket")
    assert (table.row_count, table.files) == (6, 3)  # _SUCCESS, .crc and _temporary/ ignored
    assert table.bytes == sum(p.stat().st_size for p in root.rglob("part-00000.parquet"))


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["2024-01-01", "2023-12-31"], "date"),
        (["2024-02-30"], "string"),  # looks like a date, is not one
        (["1", "-20", "300"], "int64"),
        (["1", "x"], "string"),
        (["2024-01-01", "__HIVE_DEFAULT_PARTITION__"], "date"),  # nulls do not vote
        (["__HIVE_DEFAULT_PARTITION__"], "string"),
        (["01.5"], "string"),
    ],
)
def test_partition_type_inference(values: list[str], kind: str) -> None:
    assert infer_partition_type(values) == LogicalType(kind)


def test_partition_data_is_typed_like_the_schema(tmp_path: Path) -> None:
    table = read_table(str(_events(tmp_path)), "events")
    data = read_table_data(table)
    assert data.schema.field("day").type == pa.date32()
    assert data.schema.field("bucket").type == pa.int64()
    assert data.column_names == [c.name for c in table.columns]
    assert sorted(data.column("day").to_pylist()) == [dt.date(2024, 1, 1)] * 2 + [dt.date(2024, 1, 2)] * 4
    some = read_table_data(table, columns=["amount", "DAY"], limit=2)
    assert some.column_names == ["Amount", "day"] and some.num_rows == 2
    with pytest.raises(UsageError, match="no column 'nope'"):
        read_table_data(table, columns=["nope"])


def test_single_file_table(tmp_path: Path) -> None:
    path = tmp_path / "dim.parquet"
    _write(path, pa.table({"k": [1, 2, 3], "v": ["a", "b", None]}))
    table = read_table(str(path), "dim")
    assert (table.row_count, table.files, table.partition_columns) == (3, 1, ())
    assert read_table_data(table).num_rows == 3


def test_incompatible_schemas_name_both_files(tmp_path: Path) -> None:
    root = tmp_path / "t"
    _write(root / "a.parquet", pa.table({"id": pa.array([1], pa.int64())}))
    _write(root / "b.parquet", pa.table({"id": pa.array(["1"])}))
    with pytest.raises(FedkitError) as caught:
        read_table(str(root), "t")
    message = str(caught.value)
    assert "a.parquet" in message and "b.parquet" in message and "'id'" in message
    assert "int64" in message and "string" in message


def test_missing_column_is_incompatible_too(tmp_path: Path) -> None:
    root = tmp_path / "t"
    _write(root / "k=1" / "a.parquet", pa.table({"id": [1], "x": [2]}))
    _write(root / "k=2" / "b.parquet", pa.table({"id": [1]}))
    with pytest.raises(FedkitError, match="column 'x' is missing"):
        read_table(str(root), "t")


def test_large_string_and_string_are_compatible(tmp_path: Path) -> None:
    root = tmp_path / "t"
    _write(root / "a.parquet", pa.table({"s": pa.array(["x"], pa.string())}))
    _write(root / "b.parquet", pa.table({"s": pa.array(["y"], pa.large_string())}))
    assert read_table(str(root), "t").row_count == 2


def test_columns_keep_the_files_own_arrow_type_for_people(tmp_path: Path) -> None:
    """`gold schema` shows what the Parquet says (unit, zone, string flavour), not only the engine-facing kind."""
    path = tmp_path / "t" / "k=2024-01-01" / "part-0.parquet"
    _write(path, pa.table({
        "ts": pa.array([0], pa.timestamp("ms", tz="Europe/Paris")),
        "wall": pa.array([0], pa.timestamp("ns")),
        "s": pa.array(["x"], pa.large_string()),
        "v": pa.array(["x"], pa.string_view()),
        "d": pa.array([1], pa.decimal256(40, 3)),
    }))
    table = read_table(str(tmp_path / "t"), "t")
    shown = {c.name: c.arrow_type for c in table.columns}
    assert shown == {
        "ts": "timestamp[ms, tz=Europe/Paris]", "wall": "timestamp[ns]", "s": "large_string",
        "v": "string_view", "d": "decimal256(40, 3)", "k": None,
    }
    assert [c.type.kind for c in table.columns] == ["timestamptz", "timestamp", "string", "string", "decimal", "date"]
    from toolkit.gold.model import GoldTable

    assert GoldTable.from_json(table.to_json()).columns[0].arrow_type == "timestamp[ms, tz=Europe/Paris]"


def test_spark_int96_timestamps_are_instants_in_the_catalog_and_the_rows(tmp_path: Path) -> None:
    import duckdb

    from toolkit.engines.duckdb import parquet_view_sql

    path = tmp_path / "t" / "part-0.parquet"
    path.parent.mkdir(parents=True)
    instant = dt.datetime(2024, 3, 1, 12, 30, tzinfo=dt.timezone.utc)
    rows = pa.table({"ts": pa.array([instant.replace(tzinfo=None)], pa.timestamp("us")), "wall": pa.array([0], pa.timestamp("us"))})
    pq.write_table(rows.select(["ts"]), path, use_deprecated_int96_timestamps=True)
    other = tmp_path / "u" / "part-0.parquet"
    _write(other, rows.select(["wall"]))
    table = read_table(str(tmp_path / "t"), "t")
    (column,) = table.columns
    assert (column.type.kind, column.arrow_type) == ("timestamptz", "timestamp[ns] (Parquet INT96)")
    assert (column.type.bigquery(), column.type.snowflake()) == ("TIMESTAMP", "TIMESTAMP_TZ")
    assert read_table(str(tmp_path / "u"), "u").columns[0].type.kind == "timestamp", "INT64 without zone: wall-clock"
    data = read_table_data(table)
    assert data.schema.field("ts").type == pa.timestamp("ns", tz="UTC")
    assert data.column("ts").to_pylist()[0] == instant
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(parquet_view_sql(table))
    assert con.execute("SELECT typeof(ts), epoch(ts) FROM t").fetchone() == ("TIMESTAMP WITH TIME ZONE", instant.timestamp())


def test_case_clash_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "t" / "part-0.parquet"
    _write(path, pa.table({"Amount": [1], "amount": [2]}))
    with pytest.raises(UsageError, match="'Amount' and 'amount' differ only by case"):
        read_table(str(tmp_path / "t"), "t")


def test_case_clash_between_data_and_partition_column(tmp_path: Path) -> None:
    _write(tmp_path / "t" / "Region=eu" / "p.parquet", pa.table({"region": ["x"]}))
    with pytest.raises(UsageError, match="differ only by case"):
        read_table(str(tmp_path / "t"), "t")


def test_partition_column_inside_the_files_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "t" / "m=1" / "p.parquet", pa.table({"m": [1]}))
    with pytest.raises(FedkitError, match="partition column 'm' is also a column"):
        read_table(str(tmp_path / "t"), "t")


def test_non_hive_folder_and_uneven_partitions_are_refused(tmp_path: Path) -> None:
    _write(tmp_path / "t" / "2024" / "p.parquet", pa.table({"a": [1]}))
    with pytest.raises(FedkitError, match="'2024' is not a hive key=value"):
        read_table(str(tmp_path / "t"), "t")
    _write(tmp_path / "u" / "a=1" / "p.parquet", pa.table({"x": [1]}))
    _write(tmp_path / "u" / "b=1" / "p.parquet", pa.table({"x": [1]}))
    with pytest.raises(FedkitError, match="partition folders differ"):
        read_table(str(tmp_path / "u"), "u")


def test_not_parquet_and_missing(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "notes.txt").write_text("hello")
    with pytest.raises(FedkitError, match="notes.txt: not a readable Parquet file"):
        read_table(str(tmp_path / "t"), "t")
    with pytest.raises(UsageError, match="does not exist"):
        read_table(str(tmp_path / "missing"), "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no Parquet files"):
        read_table(str(tmp_path / "empty"), "empty")


def test_discover_tables_lists_folders_and_parquet_files(tmp_path: Path) -> None:
    (tmp_path / "b_table").mkdir()
    (tmp_path / "_staging").mkdir()
    (tmp_path / ".hidden").mkdir()
    _write(tmp_path / "a_file.parquet", pa.table({"a": [1]}))
    (tmp_path / "README.md").write_text("not a table")
    assert discover_tables(str(tmp_path)) == ["a_file", "b_table"]


# -- catalogs from the project config -------------------------------------------------------------------------------
def _config(tmp_path: Path, tables: str = "") -> Path:
    path = tmp_path / "federation.yaml"
    path.write_text(
        "version: 1\ngold:\n  bucket: test-gold\n  prefix: gold/\n"
        f"  local_dir: {tmp_path / 'gold'}\n" + (f"  tables:\n{tables}" if tables else "")
    )
    return path


def _gold(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    _write(gold / "sales" / "order_month=2024-01-01" / "part-00000.parquet", pa.table({"id": [1, 2]}))
    _write(gold / "sales" / "order_month=2024-02-01" / "part-00000.parquet", pa.table({"id": [3]}))
    _write(gold / "dim.parquet", pa.table({"k": [1]}))
    _write(gold / "v2" / "customers" / "part-00000.parquet", pa.table({"c": [1, 2, 3]}))


def test_read_catalog_discovers_sorts_and_uses_declared_paths(tmp_path: Path) -> None:
    _gold(tmp_path)
    loaded = load_config(_config(tmp_path, "    sales:\n      partition_columns: [order_month]\n"
                                           "    customers:\n      path: v2/customers\n"))
    catalog = read_catalog(loaded)
    assert catalog.names == ("customers", "dim", "sales")  # v2/ is claimed by customers, not a table of its own
    assert catalog.table("customers").row_count == 3
    assert catalog.table("dim").location.endswith("dim.parquet")
    assert catalog.table("sales").partition_columns == ("order_month",)


def test_declared_partitions_must_match_the_layout(tmp_path: Path) -> None:
    _gold(tmp_path)
    path = _config(tmp_path, "    sales:\n      partition_columns: [order_day]\n")
    with pytest.raises(ConfigError) as caught:
        read_catalog(load_config(path))
    message = str(caught.value)
    assert str(path) in message and "gold.tables.sales.partition_columns" in message
    assert "order_day" in message and "order_month" in message
    assert f"{path}:8:" in message  # the line of partition_columns


def test_declared_table_that_is_not_there(tmp_path: Path) -> None:
    _gold(tmp_path)
    with pytest.raises(ConfigError, match="gold.tables.ghost: no folder"):
        read_catalog(load_config(_config(tmp_path, "    ghost:\n      auto_refresh: false\n")))


def test_declared_path_that_is_not_there(tmp_path: Path) -> None:
    _gold(tmp_path)
    path = _config(tmp_path, "    customers:\n      path: v3/customers\n")
    with pytest.raises(ConfigError, match=rf"{path}:8: gold.tables.customers.path: .*v3/customers does not exist"):
        read_catalog(load_config(path))


def test_missing_local_dir_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="fedkit gold sample"):
        read_catalog(load_config(_config(tmp_path)))
    with pytest.raises(UsageError, match="unknown gold source"):
        read_catalog(load_config(_config(tmp_path)), source="gcs")
