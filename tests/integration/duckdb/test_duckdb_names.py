"""DuckDB's local views over hostile gold names: every name the gold reader accepts is quoted in the view (table,
columns, hive partition keys, the file path literal) and reads its own rows; nothing widens the glob."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ["it's", 'say "hi"', '"q"', "a`b", "a; DROP TABLE t", "a*/b", "a /* b", "a -- b", "a\\b", "${x}", "{{ x }}",
           "Straße_名前", "a=b", "a/b", "select"]
FOLDERS = ["it's", "t; DROP VIEW x", '"t"', "t`x", "t=x", "Straße", "Odd Table", "t -- x", "t'--"]


def test_local_views_quote_every_accepted_name(tmp_path: Path) -> None:
    from toolkit.config import load_config
    from toolkit.engines.duckdb import DuckDBEngine, _quote

    local = tmp_path / "gold"
    data = {name: [f"v{i}"] for i, name in enumerate(COLUMNS)}
    for i, folder in enumerate(FOLDERS):
        # A partition key with odd characters too, and a sibling folder a widened glob would pick up.
        part = local / folder / "p it's=1" / "part-0.parquet"
        part.parent.mkdir(parents=True)
        pq.write_table(pa.table({**data, "id": pa.array([i], pa.int64())}), part)
    config = tmp_path / "federation.yaml"
    config.write_text(f"version: 1\ngold:\n  bucket: fedkit-duckdb-names\n  local_dir: {local}\n")
    loaded = load_config(config)
    with DuckDBEngine(loaded) as engine:
        for i, folder in enumerate(FOLDERS):
            select = ", ".join(_quote(name) for name in [*COLUMNS, "id", "p it's"])
            row = engine.run(f"SELECT {select} FROM {_quote(folder)}").to_pylist()
            assert row == [{**{name: f"v{j}" for j, name in enumerate(COLUMNS)}, "id": i, "p it's": 1}], folder


def test_local_views_read_the_catalogs_files_only(tmp_path: Path) -> None:
    """Spark's side files (`_temporary/`, hidden `.part-*`) are not data for the catalog, so not for DuckDB either: a
    glob over the folder would read them (or fail on their partition layout)."""
    from toolkit.config import load_config
    from toolkit.engines.duckdb import DuckDBEngine

    local = tmp_path / "gold"
    table = local / "orders"
    for path, ids in ((table / "m=1" / "part-0.parquet", [1, 2]), (table / "_temporary" / "0" / "part-9.parquet", [9]),
                      (table / "m=1" / ".part-1.parquet", [8]), (table / "m=1" / "_tmp.parquet", [7])):
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"id": pa.array(ids, pa.int64())}), path)
    config = tmp_path / "federation.yaml"
    config.write_text(f"version: 1\ngold:\n  bucket: fedkit-duckdb-names\n  local_dir: {local}\n")
    with DuckDBEngine(load_config(config)) as engine:
        assert engine.run("SELECT id, m FROM orders ORDER BY id").to_pylist() == [{"id": 1, "m": 1}, {"id": 2, "m": 1}]
