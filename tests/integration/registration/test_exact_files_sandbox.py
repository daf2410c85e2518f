"""The sandboxes read exactly the files the cloud definitions select (issue 11 item 3).

A single-file table `orders.parquet` sits beside a decoy `returned_orders.parquet`; a folder table holds Spark's
`_SUCCESS`, a `.crc` and an in-flight `_temporary/…/part.parquet`. Snowflake's external table reads what its anchored
PATTERN matches under its LOCATION (Snowflake "CREATE EXTERNAL TABLE", "COPY INTO <table>" PATTERN note); BigQuery
reads what its `uris` match, `*` spanning folders (BigQuery "External tables for S3", "Batch loading data"): nothing in
`uris` can skip a `.parquet` below `_temporary/`, and the BigQuery sandbox reads it too, as BigQuery would.
"""

from __future__ import annotations

import io
import uuid

import pytest

from toolkit.registration import statements
from toolkit.registration.desired import desired_bigquery, desired_snowflake

CONFIG = """\
version: 1
gold:
  bucket: {bucket}
  prefix: gold/
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-gold-reader
bigquery:
  project: fedkit-demo
  location: aws-us-east-1
  dataset: gold
  connection_id: fedkit_gold
snowflake:
  database: {database}
  schema: GOLD
  integration: INT_{suffix}
  stage: GOLD_STAGE
"""


def _parquet(ids: list[int]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table({"order_id": pa.array(ids, pa.int64())}), sink)
    return sink.getvalue()


@pytest.fixture
def decoys(aws, tmp_path, monkeypatch):
    """A bucket of its own: orders.parquet (3 rows), returned_orders.parquet (2), region/ (1 row + side files)."""
    from toolkit.aws import aws_client
    from toolkit.config import load_config
    from toolkit.gold.publish import ensure_bucket
    from toolkit.sql.zetasql_service import ZetaSQL

    ZetaSQL.get()  # loaded before FEDKIT_HOME moves to tmp (no compile cache there)
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    suffix = uuid.uuid4().hex[:8].upper()
    bucket = f"fedkit-exact-{suffix.lower()}"
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG.format(bucket=bucket, database=f"DB_{suffix}", suffix=suffix))
    ensure_bucket(bucket, "us-east-1")
    s3 = aws_client("s3")
    objects = {
        "gold/orders.parquet": _parquet([1, 2, 3]),
        "gold/returned_orders.parquet": _parquet([100, 101]),
        "gold/region/part-00000.parquet": _parquet([7]),
        "gold/region/_SUCCESS": b"",
        "gold/region/.part-00000.parquet.crc": b"crc",
    }
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    return load_config(path), bucket


def _catalog(loaded):
    from toolkit.gold.schema import read_catalog

    return read_catalog(loaded, "s3")


def test_snowflake_sandbox_reads_what_the_pattern_selects(decoys, fakesnow_kwargs):
    from toolkit.engines.s3_files import snowflake_table_files
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine

    loaded, bucket = decoys
    desired = desired_snowflake(loaded, _catalog(loaded))
    orders = next(t for t in desired.tables if t.name == "orders")
    region = next(t for t in desired.tables if t.name == "region")
    assert list(snowflake_table_files(desired, orders)) == [f"s3://{bucket}/gold/orders.parquet"]
    assert list(snowflake_table_files(desired, region)) == [f"s3://{bucket}/gold/region/part-00000.parquet"]
    # The sandbox models PATTERN itself: yesterday's unanchored `.*orders[.]parquet` would also read the decoy.
    loose = orders.__class__(**{**orders.__dict__, "pattern": ".*orders[.]parquet"})
    assert len(snowflake_table_files(desired, loose)) == 2

    engine = SnowflakeSandboxEngine(loaded, connect_kwargs=fakesnow_kwargs)
    try:
        engine.create_integration(statements.snowflake("storage_integration", desired), desired)
        for name in ("database", "schema", "file_format"):
            engine.create_object(statements.snowflake(name, desired))
        engine.create_stage(statements.snowflake("stage", desired), desired)
        for table in (orders, region):
            engine.create_external_table(statements.snowflake_table(desired, table), desired, table)
        ids = engine.run(f"SELECT order_id FROM {desired.database}.GOLD.ORDERS ORDER BY 1")
        assert ids.column(0).to_pylist() == [1, 2, 3]
        assert engine.run(f"SELECT COUNT(*) FROM {desired.database}.GOLD.REGION").column(0).to_pylist() == [1]
    finally:
        engine.close()


def test_bigquery_sandbox_reads_what_the_uris_select(decoys):
    from toolkit.aws import aws_client
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine

    loaded, bucket = decoys
    desired = desired_bigquery(loaded, _catalog(loaded))
    engine = BigQuerySandboxEngine(loaded)
    engine.create_connection(desired.location, desired.connection_id, desired.role_arn)
    engine.create_dataset(statements.bigquery_dataset(desired), desired.dataset)
    for table in desired.tables:
        engine.create_table(statements.bigquery_table(desired, table), desired, table)
    assert engine.run("SELECT order_id FROM gold.orders ORDER BY 1").column(0).to_pylist() == [1, 2, 3]
    assert engine.run("SELECT COUNT(*) FROM gold.region").column(0).to_pylist() == [1]
    # A Spark job still writing: BigQuery's `*.parquet` reads the in-flight file too, and so does the sandbox.
    aws_client("s3").put_object(Bucket=bucket, Key="gold/region/_temporary/0/part-00001.parquet", Body=_parquet([8]))
    assert engine.run("SELECT COUNT(*) FROM gold.region").column(0).to_pylist() == [2]


# -- a table registered by an older fedkit (its old file selection) is recreated and converges ----------------------
def _old(spec, **fields):
    return spec.__class__(**{**spec.__dict__, **fields})


def test_snowflake_sandbox_table_with_the_old_pattern_is_replaced_and_converges(decoys, fakesnow_kwargs):
    """Created with yesterday's DDL (`PATTERN = '.*orders[.]parquet'`, which also reads the decoy), the table is read
    back from its recorded CREATE statement, planned as a replace without --replace, recreated, and a second plan is
    empty; the refresh phase then plans the one REFRESH Snowflake needs after a recreation."""
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine
    from toolkit.registration.freshness import ObservedRefresh, plan_snowflake_refresh, run_changes
    from toolkit.registration.plan import plan_snowflake_objects

    loaded, _ = decoys
    desired = desired_snowflake(loaded, _catalog(loaded))
    orders = next(t for t in desired.tables if t.name == "orders")
    engine = SnowflakeSandboxEngine(loaded, connect_kwargs=fakesnow_kwargs)
    try:
        engine.create_integration(statements.snowflake("storage_integration", desired), desired)
        for name in ("database", "schema", "file_format"):
            engine.create_object(statements.snowflake(name, desired))
        engine.create_stage(statements.snowflake("stage", desired), desired)
        old = _old(orders, pattern=".*orders[.]parquet")
        engine.create_external_table(statements.snowflake_table(desired, old), desired, old)
        for table in desired.tables:
            if table is not orders:
                engine.create_external_table(statements.snowflake_table(desired, table), desired, table)
        query = f"SELECT order_id FROM {desired.database}.GOLD.ORDERS ORDER BY 1"
        assert engine.run(query).column(0).to_pylist() == [1, 2, 3, 100, 101]  # the decoy's rows too

        (action,) = plan_snowflake_objects(desired, engine.observe(desired))
        assert action.action == "replace" and action.resource.endswith(".orders")
        assert f"PATTERN '.*orders[.]parquet' → '{orders.pattern}'" in action.detail
        engine.create_external_table(action.payload["sql"], desired, action.payload["spec"], replace=True)

        assert engine.run(query).column(0).to_pylist() == [1, 2, 3]
        assert plan_snowflake_objects(desired, engine.observe(desired)) == []
        refresh = plan_snowflake_refresh(desired, ObservedRefresh(engine.observe_freshness(desired),
                                                                  *run_changes([action])))
        assert [a.payload["table"] for a in refresh] == ["orders"]
    finally:
        engine.close()


def test_bigquery_sandbox_table_with_the_old_uris_is_replaced_and_converges(decoys):
    """Created with yesterday's `uris = ['…/region/*']` (BigQuery would read `_SUCCESS` and the `.crc` too), the table
    is read back from its recorded DDL, planned as a replace without --replace, recreated, and a second plan is empty."""
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine
    from toolkit.registration.plan import plan_bigquery_tables

    loaded, bucket = decoys
    desired = desired_bigquery(loaded, _catalog(loaded))
    region = next(t for t in desired.tables if t.name == "region")
    engine = BigQuerySandboxEngine(loaded)
    engine.create_connection(desired.location, desired.connection_id, desired.role_arn)
    engine.create_dataset(statements.bigquery_dataset(desired), desired.dataset)
    old = _old(region, uris=(f"s3://{bucket}/gold/region/*",))
    engine.create_table(statements.bigquery_table(desired, old), desired, old)
    for table in desired.tables:
        if table is not region:
            engine.create_table(statements.bigquery_table(desired, table), desired, table)

    (action,) = plan_bigquery_tables(desired, engine.observe(desired))
    assert action.action == "replace" and action.resource == "bigquery_table/gold.region"
    assert f"uris ['s3://{bucket}/gold/region/*'] → ['s3://{bucket}/gold/region/*.parquet']" in action.detail
    engine.create_table(action.payload["sql"], desired, action.payload["spec"], replace=True)
    assert plan_bigquery_tables(desired, engine.observe(desired)) == []
    assert engine.run("SELECT COUNT(*) FROM gold.region").column(0).to_pylist() == [1]


# -- the cloud adapter's freshness looks at exactly the files a table reads ----------------------------------------
class _ShowExternalTables:
    """A connector stand-in answering the three statements `observe_freshness` sends (fakesnow has no external
    tables): the schema exists, and these tables were last refreshed at `refreshed` (SHOW EXTERNAL TABLES'
    `last_refreshed_on`, docs.snowflake.com "SHOW EXTERNAL TABLES")."""

    def __init__(self, names, refreshed):
        self.names, self.refreshed, self.description, self._rows = names, refreshed, None, []

    def cursor(self):
        return self

    def execute(self, sql, params=None):
        if sql.startswith("SHOW EXTERNAL TABLES"):
            rows = [(name, self.refreshed) for name in self.names]
        else:
            rows = [(sql.split("'")[1],)]  # SHOW DATABASES/SCHEMAS LIKE 'X': X exists
        self.description = [("name",), ("last_refreshed_on",)][:len(rows[0])]
        self._rows = rows

    def fetchall(self):
        return self._rows

    def close(self):
        pass


def test_cloud_freshness_counts_only_the_files_the_pattern_reads(decoys):
    """A sibling table's upload (`returned_orders.parquet` beside `orders.parquet`, both under the stage root that is
    `orders`' LOCATION) or a non-Parquet file in a folder table leaves the table fresh; a new Parquet part inside it
    makes it stale. Before, the newest LastModified of everything under the folder was taken (`manifest.json` too)."""
    import time

    from toolkit.aws import aws_client
    from toolkit.engines import s3_files
    from toolkit.engines.snowflake import SnowflakeCloudEngine
    from toolkit.registration.freshness import stale_reason

    loaded, bucket = decoys
    desired = desired_snowflake(loaded, _catalog(loaded))
    listed = [s3_files.snowflake_table_files(desired, t) for t in desired.tables]
    refreshed = max(f.last_modified for files in listed for f in files.values())
    engine = SnowflakeCloudEngine(loaded, connect_kwargs={})
    engine._conn = _ShowExternalTables(["ORDERS", "REGION"], refreshed)

    def stale() -> dict[str, str | None]:
        return {name: stale_reason(state) for name, state in engine.observe_freshness(desired).items()}

    assert stale() == {"ORDERS": None, "REGION": None}
    time.sleep(1.1)  # S3 LastModified has whole seconds
    s3 = aws_client("s3")
    s3.put_object(Bucket=bucket, Key="gold/returned_orders.parquet", Body=_parquet([102]))
    s3.put_object(Bucket=bucket, Key="gold/region/manifest.json", Body=b"{}")
    s3.put_object(Bucket=bucket, Key="gold/region/_SUCCESS", Body=b"")
    assert stale() == {"ORDERS": None, "REGION": None}
    s3.put_object(Bucket=bucket, Key="gold/region/part-00001.parquet", Body=_parquet([9]))
    s3.put_object(Bucket=bucket, Key="gold/orders.parquet", Body=_parquet([1, 2, 3, 4]))
    seen = engine.observe_freshness(desired)
    assert seen["REGION"].files == 2 and seen["ORDERS"].files == 1
    assert all(stale_reason(state).startswith("refresh: stale") for state in seen.values())
