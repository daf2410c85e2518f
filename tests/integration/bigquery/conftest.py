"""Sandbox fixtures: a small sample gold layer (plus a table with odd names) published to moto's S3."""

from __future__ import annotations

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
bigquery:
  project: fedkit-demo
  location: aws-us-east-1
  dataset: gold
  connection_id: fedkit_gold
"""


def write_odd_table(root, customer: str = "Customer_Name") -> None:
    """A table name with a space, a keyword and a mixed-case column: what BigQuery reads when quoted. Its column names
    stay classic by default, since a BigQuery external table takes no flexible column names (`Customer's Name`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = root / "Odd Table"
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        customer: ["Ann", "Bob", None],
        "MixedCase": pa.array([1.5, 2.5, 3.0], pa.float64()),
        "select": pa.array([1, 2, 3], pa.int64()),
    })
    pq.write_table(table, folder / "part-00000.parquet")


@pytest.fixture
def published(aws, tmp_path, monkeypatch):
    """(LoadedConfig, local gold dir): sample + odd table in s3://fedkit-demo-gold/gold/, FEDKIT_HOME in tmp."""
    from toolkit.config import load_config
    from toolkit.gold.publish import ensure_bucket, publish
    from toolkit.gold.sample import write_sample

    from toolkit.sql.zetasql_service import ZetaSQL

    ZetaSQL.get()  # load (from the compile cache) before FEDKIT_HOME moves to tmp, where there is no cache
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    local = tmp_path / "gold"
    write_sample(local, orders=120, seed=7)
    write_odd_table(local)
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG.format(local=local))
    loaded = load_config(path)
    ensure_bucket("fedkit-demo-gold", "us-east-1")
    publish(loaded)
    return loaded, local
