"""Glue registration through plan/apply against the sandbox's moto server (boto3's real glue client over HTTP).

What moto shows: the catalog's content as the Glue API returns it (tables, paged partitions). What it cannot: Athena
reading the Parquet through those definitions, or IAM (moto checks no policy); the definitions are pinned by the
planner's snapshot (tests/unit/registration/test_glue_plan.py).
"""

from __future__ import annotations

import shutil

import pytest

from toolkit.planning.pipeline import Context, apply_all, plan_all
from toolkit.registration.glue_target import GlueTablesTarget

CONFIG = """\
version: 1
gold:
  bucket: fedkit-glue-gold
  prefix: gold/
  local_dir: {local}
  tables:
    fact_sales:
      partition_columns: [order_month]
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-gold-reader
glue:
  database: gold_lake
"""


@pytest.fixture
def project(aws, tmp_path, monkeypatch):
    """A published sample gold layer and a config with only aws + glue (no Snowflake/BigQuery needed)."""
    from toolkit.config import load_config
    from toolkit.gold.publish import ensure_bucket, publish
    from toolkit.gold.sample import write_sample
    from toolkit.sandbox.state import write_state

    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    write_state({"moto": {"endpoint": aws}})
    local = tmp_path / "gold"
    write_sample(local, orders=120, seed=4)
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG.format(local=local))
    loaded = load_config(path)
    ensure_bucket("fedkit-glue-gold", "us-east-1")
    publish(loaded, delete=True)
    return loaded, local


def _run(loaded, replace=False, apply=True, prune=False):
    ctx = Context(loaded=loaded, replace=replace, prune=prune)
    targets = [GlueTablesTarget()]
    return apply_all(ctx, targets) if apply else plan_all(ctx, targets)


def _glue():
    from toolkit.aws import aws_client

    return aws_client("glue")


def _partitions(table: str) -> set[str]:
    pages = _glue().get_paginator("get_partitions").paginate(DatabaseName="gold_lake", TableName=table)
    return {p["Values"][0] for page in pages for p in page["Partitions"]}


def _months(local) -> set[str]:
    return {p.name.split("=", 1)[1] for p in (local / "fact_sales").iterdir() if p.name.startswith("order_month=")}


def test_apply_registers_every_table_and_a_second_apply_plans_nothing(project):
    loaded, local = project
    report = _run(loaded)
    assert ("create", "glue_database/gold_lake") in [(a.action, a.resource) for a in report.done]
    tables = {t["Name"]: t for t in _glue().get_tables(DatabaseName="gold_lake")["TableList"]}
    assert set(tables) == {"amazon_sales_gold", "dim_customer", "dim_payment", "dim_product", "dim_region",
                           "fact_sales"}
    fact = tables["fact_sales"]
    assert fact["StorageDescriptor"]["Location"] == "s3://fedkit-glue-gold/gold/fact_sales/"
    assert [k["Name"] for k in fact["PartitionKeys"]] == ["order_month"]
    assert _partitions("fact_sales") == _months(local) and len(_months(local)) > 1
    assert _run(loaded, apply=False).actions == ()


def test_a_published_month_is_registered_by_the_next_apply(project):
    from toolkit.gold.publish import publish

    loaded, local = project
    _run(loaded)
    first = sorted((local / "fact_sales").glob("order_month=*"))[0]
    shutil.copytree(first, local / "fact_sales" / "order_month=2031-07-01")
    publish(loaded)
    plan = _run(loaded, apply=False)
    assert [(a.action, a.resource) for a in plan.actions] == [("create", "glue_partitions/gold_lake.fact_sales")]
    _run(loaded)
    assert "2031-07-01" in _partitions("fact_sales")
    location = _glue().get_partition(DatabaseName="gold_lake", TableName="fact_sales",
                                     PartitionValues=["2031-07-01"])["Partition"]["StorageDescriptor"]["Location"]
    assert location == "s3://fedkit-glue-gold/gold/fact_sales/order_month=2031-07-01/"
    assert _run(loaded, apply=False).actions == ()


def test_a_retyped_column_is_drift_until_replace(project):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.gold.publish import publish

    loaded, local = project
    _run(loaded)
    for path in (local / "dim_region").glob("*.parquet"):
        table = pq.read_table(path)
        index = table.schema.get_field_index("region_id")
        pq.write_table(table.set_column(index, "region_id", table["region_id"].cast(pa.string())), path)
    publish(loaded)
    plan = _run(loaded, apply=False)
    assert [(a.action, a.resource) for a in plan.actions] == [("drift", "glue_table/gold_lake.dim_region")]
    assert "region_id is bigint in the table but string in the Parquet" in plan.actions[0].detail
    assert [a.action for a in _run(loaded).done] == ["drift"]  # apply leaves a drifted table alone
    report = _run(loaded, replace=True)
    assert [(a.action, a.resource) for a in report.done] == [("replace", "glue_table/gold_lake.dim_region")]
    columns = _glue().get_table(DatabaseName="gold_lake", Name="dim_region")["Table"]["StorageDescriptor"]["Columns"]
    assert {"Name": "region_id", "Type": "string"} in columns
    assert _run(loaded, apply=False).actions == ()


def test_only_fedkits_tables_for_gone_gold_are_orphans_and_only_prune_deletes_them(project):
    from toolkit.gold.publish import publish

    loaded, local = project
    _run(loaded)
    _glue().create_table(DatabaseName="gold_lake", TableInput={"Name": "hand_made", "TableType": "EXTERNAL_TABLE"})
    shutil.rmtree(local / "dim_region")
    publish(loaded, delete=True)
    plan = _run(loaded, apply=False)
    assert plan.actions == () and any("glue_table/gold_lake.dim_region" in w for w in plan.warnings)
    report = _run(loaded, prune=True)
    assert [(a.action, a.resource) for a in report.done] == [("delete", "glue_table/gold_lake.dim_region")]
    names = {t["Name"] for t in _glue().get_tables(DatabaseName="gold_lake")["TableList"]}
    assert "dim_region" not in names and "hand_made" in names and "fact_sales" in names


def test_replace_of_a_partitioned_table_retypes_its_registered_partitions(project):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.gold.publish import publish

    loaded, local = project
    _run(loaded)
    for path in (local / "fact_sales").rglob("*.parquet"):
        table = pq.read_table(path, partitioning=None)
        index = table.schema.get_field_index("quantity")
        pq.write_table(table.set_column(index, "quantity", table["quantity"].cast(pa.int64())), path)
    publish(loaded)
    assert [a.action for a in _run(loaded, apply=False).actions] == ["drift"]
    report = _run(loaded, replace=True)
    assert [(a.action, a.resource) for a in report.done] == [("replace", "glue_table/gold_lake.fact_sales"),
                                                             ("update", "glue_partitions/gold_lake.fact_sales")]
    pages = _glue().get_paginator("get_partitions").paginate(DatabaseName="gold_lake", TableName="fact_sales")
    partitions = [p for page in pages for p in page["Partitions"]]
    assert len(partitions) == len(_months(local))
    for partition in partitions:
        assert {"Name": "quantity", "Type": "bigint"} in partition["StorageDescriptor"]["Columns"]
        assert partition["StorageDescriptor"]["Location"].endswith(f"order_month={partition['Values'][0]}/")
    assert _run(loaded, apply=False).actions == ()
