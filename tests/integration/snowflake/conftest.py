"""Sandbox fixtures for Snowflake: a small gold layer in moto's S3 and a config naming fresh Snowflake objects."""

from __future__ import annotations

import uuid

import pytest

CONFIG = """\
version: 1
gold:
  bucket: fedkit-demo-gold
  prefix: gold/
  local_dir: {local}
  tables:
    fact_sales:
      partition_columns: [order_month]
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-gold-reader
snowflake:
  database: {database}
  schema: GOLD
  integration: {integration}
  stage: GOLD_STAGE
"""


def write_odd_table(root) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = root / "Odd Table"
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        "Customer Name": ["Ann", "Bob", None],
        "Customer's Note": ["new", "vip", None],
        'Say "Hi"': ["hello", "hi", "hey"],
        "MixedCase": pa.array([1.5, 2.5, 3.0], pa.float64()),
        "select": pa.array([1, 2, 3], pa.int64()),
    })
    pq.write_table(table, folder / "part-00000.parquet")


@pytest.fixture
def sf_published(aws, tmp_path, monkeypatch):
    """LoadedConfig with a unique database/integration (the fakesnow server is shared by the session)."""
    from toolkit.config import load_config
    from toolkit.gold.publish import ensure_bucket, publish
    from toolkit.gold.sample import write_sample

    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    local = tmp_path / "gold"
    write_sample(local, orders=120, seed=7)
    write_odd_table(local)
    suffix = uuid.uuid4().hex[:8].upper()
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG.format(local=local, database=f"DB_{suffix}", integration=f"INT_{suffix}"))
    loaded = load_config(path)
    ensure_bucket("fedkit-demo-gold", "us-east-1")
    publish(loaded)
    return loaded


@pytest.fixture
def sf_engine(sf_published, fakesnow_kwargs):
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine

    engine = SnowflakeSandboxEngine(sf_published, connect_kwargs=fakesnow_kwargs)
    yield engine
    engine.close()
