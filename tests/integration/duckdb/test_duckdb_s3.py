"""Without a local gold folder, DuckDB reads the published gold layer from S3 (moto) through pyarrow."""

from __future__ import annotations

from pathlib import Path

from toolkit.config import load_config
from toolkit.engines.duckdb import DuckDBEngine
from toolkit.gold.publish import ensure_bucket, publish

BUCKET = "fedkit-duckdb-s3"


def test_duckdb_over_s3_matches_local(aws: str, tmp_path: Path, duck_gold: Path, gold_config_writer) -> None:
    write_config = gold_config_writer
    ensure_bucket(BUCKET, "us-east-1")
    (tmp_path / "with-local").mkdir()
    publish(load_config(write_config(tmp_path / "with-local", duck_gold, bucket=BUCKET)))
    (tmp_path / "s3-only").mkdir()
    remote = load_config(write_config(tmp_path / "s3-only", None, bucket=BUCKET))
    local = load_config(write_config(tmp_path / "with-local", duck_gold, bucket=BUCKET))
    query = "SELECT order_month, COUNT(*) AS n, SUM(amount) AS s FROM fact_sales GROUP BY 1 ORDER BY 1"
    with DuckDBEngine(remote) as s3_engine, DuckDBEngine(local) as local_engine:
        assert s3_engine.source == "s3" and local_engine.source == "local"
        assert s3_engine.run(query).equals(local_engine.run(query))
