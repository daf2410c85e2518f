"""The cached catalog of gold.local_dir answers only while no file under it changed; a corrupt cache is a miss."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.config import load_config
from toolkit.gold import local_catalog_cache, schema
from toolkit.gold.local_catalog_cache import read_local_catalog


@pytest.fixture
def loaded(local_gold_project, tmp_path, monkeypatch):
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    config = local_gold_project("catalog_cache", orders=30)
    monkeypatch.chdir(tmp_path)
    return load_config(config)


def _forbid_reading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("footers read again: the cache did not answer")

    monkeypatch.setattr(schema, "read_catalog", refuse)


def test_an_unchanged_folder_is_answered_from_the_cache(loaded, monkeypatch):
    first = read_local_catalog(loaded)
    assert first == schema.read_catalog(loaded, "local")
    _forbid_reading(monkeypatch)
    assert read_local_catalog(loaded) == first


def test_a_rewritten_parquet_file_is_read_again(loaded):
    first = read_local_catalog(loaded)
    table = first.table("dim_region")
    target = sorted((loaded.resolve(loaded.config.gold.local_dir) / "dim_region").glob("*.parquet"))[0]
    data = pq.read_table(target)
    pq.write_table(data.append_column("population", pa.array([1] * data.num_rows, pa.int64())), target)
    again = read_local_catalog(loaded)
    assert [c.name for c in again.table("dim_region").columns] == [c.name for c in table.columns] + ["population"]


def test_a_new_table_folder_is_read_again(loaded):
    first = read_local_catalog(loaded)
    folder = loaded.resolve(loaded.config.gold.local_dir) / "dim_extra"
    folder.mkdir()
    pq.write_table(pa.table({"extra_id": pa.array([1, 2], pa.int64())}), folder / "part-00000.parquet")
    assert "dim_extra" not in first.names
    assert "dim_extra" in read_local_catalog(loaded).names


@pytest.mark.parametrize("content", ["{", "[]", json.dumps({"version": 1, "entries": {"x": 1}}), "TABLES"])
def test_a_corrupt_cache_is_a_miss(loaded, content):
    expected = read_local_catalog(loaded)
    path = local_catalog_cache.default_path()
    if content == "TABLES":  # the right key, a catalog with a hostile name: refused like a --catalog snapshot
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data["entries"].values():
            entry["catalog"]["tables"][0]["columns"][0]["name"] = "a\nb"
        content = json.dumps(data)
    path.write_text(content, encoding="utf-8")
    assert read_local_catalog(loaded) == expected


def test_the_cache_keeps_a_bounded_number_of_catalogs(loaded, monkeypatch):
    monkeypatch.setattr(local_catalog_cache, "MAX_ENTRIES", 2)
    folder = loaded.resolve(loaded.config.gold.local_dir) / "dim_extra"
    folder.mkdir()
    for index in range(4):
        pq.write_table(pa.table({"extra_id": pa.array([index], pa.int64())}), folder / f"part-{index}.parquet")
        read_local_catalog(loaded)
    assert len(json.loads(local_catalog_cache.default_path().read_text(encoding="utf-8"))["entries"]) == 2
