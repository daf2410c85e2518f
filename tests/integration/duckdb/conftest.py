"""A small sample gold layer written once for the DuckDB integration tests, and a config pointing at it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_UNIT_SQL = str(Path(__file__).resolve().parents[2] / "unit" / "sql")
if _UNIT_SQL not in sys.path:
    sys.path.insert(0, _UNIT_SQL)  # the corpus helpers (sqltest_corpus)


def write_config(folder: Path, local_dir: Path | None, bucket: str = "fedkit-duckdb-test") -> Path:
    path = folder / "federation.yaml"
    local = f"  local_dir: {local_dir}\n" if local_dir is not None else ""
    path.write_text(
        f"version: 1\ngold:\n  bucket: {bucket}\n  prefix: gold/\n{local}"
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
        "bigquery:\n  project: fedkit-demo\n  location: aws-us-east-1\n"
        "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n"
        f"kpi:\n  source_dialect: duckdb\n  paths: [{Path(__file__).resolve().parents[3] / 'sql' / 'kpi'}]\n"
    )
    return path


@pytest.fixture(scope="session")
def gold_config_writer():
    """`write_config(folder, local_dir, bucket=...)` for tests that need their own config."""
    return write_config


@pytest.fixture(scope="session")
def duck_gold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from toolkit.gold.sample import write_sample

    out = tmp_path_factory.mktemp("duckdb-gold") / "gold"
    write_sample(out, orders=2000, seed=7)
    return out


@pytest.fixture(scope="session")
def duck_loaded(duck_gold: Path, tmp_path_factory: pytest.TempPathFactory):
    from toolkit.config import load_config

    return load_config(write_config(tmp_path_factory.mktemp("duckdb-config"), duck_gold))


@pytest.fixture(scope="session")
def duck_catalog(duck_loaded):
    from toolkit.gold.schema import read_catalog

    return read_catalog(duck_loaded, source="local")
