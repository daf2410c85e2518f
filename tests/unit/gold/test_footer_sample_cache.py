"""The footer sample is bounded and deterministic, and the footer cache answers only for the version it read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.errors import UsageError
from toolkit.gold.footer_cache import FooterCache
from toolkit.gold.footers import FooterColumn, FooterSummary
from toolkit.gold.sampling import PER_PARTITION, PER_TABLE, footer_sample
from toolkit.gold.schema import read_table
from toolkit.types import LogicalType


@dataclass(frozen=True)
class F:
    path: str
    partitions: tuple[tuple[str, str], ...]
    modified: float | None


def _layer(partitions: int, per: int) -> list[F]:
    return [F(f"b/t/p={p}/part-{i:05d}.parquet", (("p", str(p)),), 1000.0 + p * per + i)
            for p in range(partitions) for i in range(per)]


def test_the_sample_is_the_newest_file_of_every_partition_plus_a_hashed_one() -> None:
    files = _layer(3, 20)
    chosen = footer_sample(files)
    assert len(chosen) == 3 * PER_PARTITION == 6
    for p in range(3):
        members = [f for f in files if f.partitions == (("p", str(p)),)]
        newest = max(members, key=lambda f: f.modified)
        picked = [f for f in chosen if f in members]
        assert newest in picked and len(picked) == PER_PARTITION
    assert chosen == sorted(chosen, key=lambda f: f.path)
    assert footer_sample(list(reversed(files))) == chosen  # the same sample whatever the listing order


def test_a_new_file_enters_the_sample_of_its_partition() -> None:
    files = _layer(2, 10)
    late = F("b/t/p=0/part-zz-late.parquet", (("p", "0"),), 9999.0)
    assert late in footer_sample([*files, late])


def test_the_sample_is_bounded_per_table_and_newest_partitions_come_first() -> None:
    files = _layer(500, 3)
    chosen = footer_sample(files)
    assert len(chosen) == PER_TABLE
    newest_partition = max(files, key=lambda f: f.modified).partitions
    assert any(f.partitions == newest_partition for f in chosen)
    assert not any(f.partitions == (("p", "0"),) for f in chosen)  # the oldest partition waits for the cache


def test_small_tables_are_read_whole() -> None:
    two = _layer(1, 2)
    assert footer_sample(two) == sorted(two, key=lambda f: f.path)
    single = [F("b/t.parquet", (), None)]
    assert footer_sample(single) == single


SUMMARY = FooterSummary((FooterColumn("id", LogicalType("int64"), True, "int64"),), 3)


def test_the_cache_answers_only_for_the_same_etag_and_size(tmp_path: Path) -> None:
    path = tmp_path / "footers.json"
    cache = FooterCache(path)
    cache.put("s3://b/t/a.parquet", '"e1"', 100, SUMMARY)
    cache.listed("s3://b/t", ["s3://b/t/a.parquet"])
    cache.save()
    again = FooterCache(path)
    assert again.get("s3://b/t/a.parquet", '"e1"', 100) == SUMMARY
    assert again.get("s3://b/t/a.parquet", '"e2"', 100) is None  # a new version: read again
    assert again.get("s3://b/t/a.parquet", '"e1"', 101) is None
    assert again.get("s3://b/t/a.parquet", None, 100) is None  # no ETag (a local file): never cached
    assert again.hits == 1


def test_entries_of_files_gone_from_the_listing_are_dropped_and_other_tables_kept(tmp_path: Path) -> None:
    path = tmp_path / "footers.json"
    first = FooterCache(path)
    for uri in ("s3://b/t/a.parquet", "s3://b/t/b.parquet", "s3://b/u/c.parquet"):
        first.put(uri, '"e"', 100, SUMMARY)
    first.save()
    second = FooterCache(path)
    second.listed("s3://b/t", ["s3://b/t/a.parquet"])
    second.save()
    entries = json.loads(path.read_text())["entries"]
    assert sorted(entries) == ["s3://b/t/a.parquet", "s3://b/u/c.parquet"]


@pytest.mark.parametrize("content", ["not json", '{"version": 1, "entries": {"s3://b/t/a.parquet": 7}}',
                                     '{"version": 1, "entries": {"s3://b/t/a.parquet": {"etag": "\\"e\\"", '
                                     '"size": 100, "footer": {"columns": "x"}}}}'])
def test_a_damaged_cache_is_a_miss_not_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "footers.json"
    path.write_text(content)
    assert FooterCache(path).get("s3://b/t/a.parquet", '"e"', 100) is None


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def test_a_sampled_read_still_catches_drift_in_the_newest_file_and_counts_no_rows(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "events"
    for day in (1, 2):
        for i in range(10):
            _write(folder / f"day={day}" / f"part-{i:05d}.parquet", pa.table({"id": pa.array([i], pa.int64())}))
    table = read_table(str(folder), "events", sample=True)
    assert table.files == 20 and table.row_count is None  # not every footer was read: rows not counted
    assert read_table(str(folder), "events").row_count == 20

    drifted = folder / "day=2" / "part-00003.parquet"
    _write(drifted, pa.table({"id": pa.array(["x"])}))
    os.utime(drifted, (4_000_000_000, 4_000_000_000))  # the newest file of its partition
    with pytest.raises(UsageError, match=r"incompatible schemas: .* and .*day=2/part-00003\.parquet: column 'id'"):
        read_table(str(folder), "events", sample=True)


def test_a_file_too_small_for_parquet_is_named_even_outside_the_sample(tmp_path: Path) -> None:
    import os

    import pyarrow.fs as pafs

    from toolkit.gold.files import local_data_files

    folder = tmp_path / "events"
    for i in range(10):
        path = folder / "day=1" / f"part-{i:05d}.parquet"
        _write(path, pa.table({"id": pa.array([i], pa.int64())}))
        os.utime(path, (1_000_000 + i, 1_000_000 + i))

    def sampled() -> list[str]:
        return [f.path for f in footer_sample(local_data_files(pafs.LocalFileSystem(), str(folder), str(folder)))]

    victim = next(path for path in sorted(map(str, folder.rglob("*.parquet"))) if path not in sampled())
    Path(victim).write_bytes(b"")
    os.utime(victim, (1_000_000, 1_000_000))
    assert victim not in sampled()  # its footer is not read: the listing's size names it
    with pytest.raises(UsageError, match=rf"{Path(victim).name}: not a readable Parquet file \(0 bytes\)"):
        read_table(str(folder), "events", sample=True)
