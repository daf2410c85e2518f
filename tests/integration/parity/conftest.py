"""One small sample gold layer (1,500 orders) and a config for the parity tests; data read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLE_ROWS = 600  # fact rows per parity run: keeps the ZetaSQL evaluator (about 3,000 rows/s) fast


def write_parity_config(
    folder: Path, gold: Path, kpi_paths: list[Path] | None = None, source: str = "duckdb"
) -> Path:
    paths = ", ".join(str(p) for p in (kpi_paths or [REPO / "sql" / "kpi"]))
    path = folder / "federation.yaml"
    path.write_text(
        f"version: 1\ngold:\n  bucket: fedkit-parity-test\n  prefix: gold/\n  local_dir: {gold}\n"
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
        "bigquery:\n  project: fedkit-demo\n  location: aws-us-east-1\n  dataset: gold\n"
        "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n"
        f"kpi:\n  source_dialect: {source}\n  paths: [{paths}]\n"
    )
    return path


@pytest.fixture(scope="session")
def parity_config_writer():
    """`write_parity_config(folder, gold, kpi_paths=None, source="duckdb")` for tests with their own KPIs."""
    return write_parity_config


@pytest.fixture(scope="session")
def parity_loaded(tmp_path_factory: pytest.TempPathFactory):
    from toolkit.config import load_config
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("parity")
    write_sample(root / "gold", orders=1500, seed=42)
    return load_config(write_parity_config(root, root / "gold"))


@pytest.fixture(scope="session")
def parity_catalog(parity_loaded):
    from toolkit.sql.suite import suite_catalog

    return suite_catalog(parity_loaded)


@pytest.fixture(scope="session")
def parity_data(parity_catalog):
    from toolkit.sql.parity.runner import read_gold_data

    return read_gold_data(parity_catalog)


@pytest.fixture(scope="session")
def parity_sample(parity_data):
    from toolkit.sql.parity.sample import sample_tables

    return sample_tables(parity_data, SAMPLE_ROWS, seed=42)
