"""Bad gold data is named: every unreadable file, empty folder or schema clash is a usage error (exit 2) whose one
line names the file (and the column), whatever command reads the gold layer."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.errors import EXIT_USAGE, FedkitError, UsageError
from toolkit.gold.schema import read_table


def _good(path: Path, table: pa.Table | None = None) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table if table is not None else pa.table({"id": pa.array([1, 2, 3], pa.int64())}), path)
    return path.read_bytes()


def _corrupt_footer(data: bytes) -> bytes:
    """Keeps the size and both magic numbers; garbles the Thrift footer (a flipped disk block, a bad upload)."""
    footer = int.from_bytes(data[-8:-4], "little")
    start = len(data) - 8 - footer
    return data[:start] + b"\x41" * footer + data[-8:]


def _bad_files(tmp_path: Path) -> dict[str, bytes]:
    good = _good(tmp_path / "scratch" / "good.parquet")
    return {
        "zero-byte": b"",
        "truncated": good[: len(good) // 2],
        "tail cut": good[:-3],
        "corrupt footer": _corrupt_footer(good),
        "csv named .parquet": b"id,name\n1,a\n",
        "footer length past the start": good[:4] + b"\x00" * 8 + (10**6).to_bytes(4, "little") + b"PAR1",
    }


@pytest.mark.parametrize("case", ["zero-byte", "truncated", "tail cut", "corrupt footer", "csv named .parquet",
                                  "footer length past the start"])
def test_an_unreadable_file_in_a_table_folder_is_named(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "orders"
    _good(folder / "part-00000.parquet")
    bad = folder / "part-00001.parquet"
    bad.write_bytes(_bad_files(tmp_path)[case])
    with pytest.raises(UsageError) as caught:
        read_table(str(folder), "orders")
    message = caught.value.message
    assert str(bad) in message and "\n" not in message, message
    assert "not a readable Parquet file" in message
    assert caught.value.exit_code == EXIT_USAGE


def test_a_single_file_table_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "orders.parquet"
    bad.write_bytes(b"")
    with pytest.raises(UsageError, match=r"orders\.parquet: not a readable Parquet file \(0 bytes\)"):
        read_table(str(bad), "orders")


def test_a_zero_column_parquet_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "empty_cols"
    pq.write_table(pa.table({}), _path(folder / "part-0.parquet"))
    with pytest.raises(UsageError, match=r"part-0\.parquet: the Parquet file has no columns") as caught:
        read_table(str(folder), "empty_cols")
    assert caught.value.exit_code == EXIT_USAGE


def test_a_zero_column_file_next_to_good_ones_is_refused_too(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    _good(folder / "m=1" / "part-0.parquet")
    pq.write_table(pa.table({}), _path(folder / "m=2" / "part-0.parquet"))
    with pytest.raises(UsageError, match=r"m=2/part-0\.parquet: the Parquet file has no columns"):
        read_table(str(folder), "t")


def test_an_empty_table_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "orders"
    (folder / "m=1").mkdir(parents=True)
    (folder / "_SUCCESS").write_text("")  # Spark's marker is not data
    with pytest.raises(UsageError, match=f"table orders: no Parquet files under {folder}") as caught:
        read_table(str(folder), "orders")
    assert caught.value.exit_code == EXIT_USAGE


def test_incompatible_schemas_name_both_files_and_the_column_as_usage_errors(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    first = folder / "part-0.parquet"
    second = folder / "part-1.parquet"
    _good(first, pa.table({"id": pa.array([1], pa.int64()), "amount": pa.array([1.5])}))
    _good(second, pa.table({"id": pa.array([1], pa.int64()), "amount": pa.array(["x"])}))
    with pytest.raises(UsageError) as caught:
        read_table(str(folder), "t")
    message = caught.value.message
    assert str(first) in message and str(second) in message and "'amount'" in message


@pytest.mark.parametrize("layout", ["not hive", "uneven", "partition inside"])
def test_layout_problems_are_usage_errors_naming_the_file(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "t"
    if layout == "not hive":
        _good(folder / "2024" / "part-0.parquet")
        expected = "2024/part-0.parquet"
    elif layout == "uneven":
        _good(folder / "m=1" / "part-0.parquet")
        _good(folder / "part-1.parquet")
        expected = "part-1.parquet"
    else:
        _good(folder / "id=1" / "part-0.parquet")
        expected = "id=1/part-0.parquet"
    with pytest.raises(UsageError, match=expected):
        read_table(str(folder), "t")


def test_spark_side_files_are_still_ignored(tmp_path: Path) -> None:
    """Spark writes `_SUCCESS`, `_committed_*`/`_started_*` (Databricks), `.part-*.crc` checksums, `_temporary/` while
    a job runs, and (old versions) `_metadata`/`_common_metadata` summary files: none of them is a table's data."""
    folder = tmp_path / "t"
    _good(folder / "part-0.parquet")
    for side in ("_SUCCESS", "_committed_123", "_started_123", ".part-0.parquet.crc", "_metadata", "_common_metadata"):
        (folder / side).write_bytes(b"not parquet")
    (folder / "_temporary" / "0").mkdir(parents=True)
    (folder / "_temporary" / "0" / "part-9.parquet").write_bytes(b"")
    table = read_table(str(folder), "t")
    assert (table.files, [c.name for c in table.columns]) == (1, ["id"])


def test_a_read_failure_of_the_storage_is_not_blamed_on_the_file(tmp_path: Path, monkeypatch) -> None:
    """An I/O error (network, permissions) stays a cloud error (exit 1): the file may be fine."""
    from toolkit.gold import schema

    folder = tmp_path / "t"
    _good(folder / "part-0.parquet")
    real = schema.resolve_location

    class Unreachable:
        def __init__(self, fs):
            self.fs = fs

        def get_file_info(self, what):
            return self.fs.get_file_info(what)

        def open_input_file(self, path):
            raise OSError("AWS Error NETWORK_CONNECTION during GetObject operation: connection reset")

    def resolve(location, region=None):
        fs, path = real(location, region)
        return Unreachable(fs), path

    monkeypatch.setattr(schema, "resolve_location", resolve)
    with pytest.raises(FedkitError) as caught:
        read_table(str(folder), "t")
    assert not isinstance(caught.value, UsageError)
    assert "part-0.parquet: cannot read" in caught.value.message


def _path(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_a_corrupt_data_page_is_named_when_rows_are_read(tmp_path: Path) -> None:
    """The footer is fine (the catalog reads), a page is not: reading the rows names the file (exit 2), not only the
    table's folder."""
    from toolkit.gold.data import read_table_data

    folder = tmp_path / "orders"
    _good(folder / "part-0.parquet")
    bad = folder / "part-1.parquet"
    pq.write_table(pa.table({"id": pa.array(range(1000), pa.int64())}), bad, compression="snappy")
    data = bytearray(bad.read_bytes())
    data[100:400] = b"\xff" * 300
    bad.write_bytes(bytes(data))
    table = read_table(str(folder), "orders")  # footers only: still fine
    with pytest.raises(UsageError) as caught:
        read_table_data(table)
    message = caught.value.message
    assert str(bad) in message and "not a readable Parquet file" in message and "\n" not in message, message
