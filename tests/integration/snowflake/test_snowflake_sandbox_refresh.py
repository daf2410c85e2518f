"""The sandbox's Snowflake tables are loaded copies: after the S3 files change, plan refreshes them, apply reloads."""

from __future__ import annotations

from toolkit.registration.desired import desired_snowflake
from toolkit.registration.freshness import ObservedRefresh, plan_snowflake_refresh
from toolkit.registration.plan import plan_snowflake_integration, plan_snowflake_objects

BUCKET = "fedkit-demo-gold"


def _desired(loaded):
    from toolkit.gold.schema import read_catalog

    return desired_snowflake(loaded, read_catalog(loaded, "s3"))


def _apply(engine, desired, actions) -> None:
    for action in actions:
        p = action.payload
        table = next((t for t in desired.tables if t.name == p.get("table")), None)
        if p["op"] == "create_stage":
            engine.create_stage(p["sql"], desired)
        elif p["op"] == "create_external_table":
            engine.create_external_table(p["sql"], desired, table)
        elif p["op"] == "refresh_external_table":
            engine.refresh_external_table(p["sql"], desired, table)
        else:
            engine.create_object(p["sql"])


def _register(engine, desired) -> None:
    for action in plan_snowflake_integration(desired, engine.observe(desired)):
        engine.create_integration(action.payload["sql"], desired)
    _apply(engine, desired, plan_snowflake_objects(desired, engine.observe(desired)))
    assert plan_snowflake_objects(desired, engine.observe(desired)) == []
    assert _refreshes(engine, desired) == []


def _refreshes(engine, desired) -> list:
    return plan_snowflake_refresh(desired, ObservedRefresh(engine.observe_freshness(desired)))


def _put_parquet(key: str, table) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.aws import aws_client

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    aws_client("s3").put_object(Bucket=BUCKET, Key=key, Body=sink.getvalue().to_pybytes())


def _count(engine, desired, name: str) -> int:
    return engine.run(f"SELECT COUNT(*) AS n FROM {desired.database}.GOLD.{name}").column("N").to_pylist()[0]


def test_changed_files_are_refreshed_through_plan_and_apply(sf_engine, sf_published):
    import pyarrow as pa

    from toolkit.gold.schema import read_catalog

    desired = _desired(sf_published)
    _register(sf_engine, desired)
    before = read_catalog(sf_published, "s3")
    assert _count(sf_engine, desired, "dim_region") == before.table("dim_region").row_count

    # Same schema, new content: dim_region's file is overwritten and a second file is added next to it.
    schema = pa.schema([("region_id", pa.int64()), ("country", pa.string()), ("region", pa.string())])
    _put_parquet("gold/dim_region/part-00000.parquet",
                 pa.table({"region_id": [1, 2], "country": ["DE", "FR"], "region": ["EU", "EU"]}, schema=schema))
    _put_parquet("gold/dim_region/part-00001.parquet",
                 pa.table({"region_id": [3, 4, 5], "country": ["US", "CA", "MX"], "region": ["NA"] * 3}, schema=schema))

    changed = _desired(sf_published)
    assert plan_snowflake_objects(changed, sf_engine.observe(changed)) == []  # same columns: no drift
    assert set(sf_engine.stale_tables(changed)) == {"DIM_REGION"}
    (refresh,) = _refreshes(sf_engine, changed)
    assert refresh.action == "update" and refresh.resource == f"snowflake_external_table/{changed.database}.GOLD.dim_region"
    assert "files changed in S3 since the last load" in refresh.detail and "AUTO_REFRESH" in refresh.detail
    assert "1 file added, 1 file changed" in refresh.detail
    assert refresh.diff == f"ALTER EXTERNAL TABLE {changed.database}.GOLD.dim_region REFRESH"

    _apply(sf_engine, changed, [refresh])
    after = read_catalog(sf_published, "s3").table("dim_region").row_count
    assert after == 5 and _count(sf_engine, changed, "dim_region") == after
    assert sorted(r["C"] for r in sf_engine.run(
        f"SELECT country AS c FROM {changed.database}.GOLD.dim_region").to_pylist()) == ["CA", "DE", "FR", "MX", "US"]
    assert _refreshes(sf_engine, changed) == []
    # The other tables were left alone.
    assert _count(sf_engine, changed, "fact_sales") == before.table("fact_sales").row_count


def test_hidden_files_do_not_make_a_table_stale(sf_engine, sf_published):
    from toolkit.aws import aws_client

    desired = _desired(sf_published)
    _register(sf_engine, desired)
    s3 = aws_client("s3")
    s3.put_object(Bucket=BUCKET, Key="gold/dim_region/_SUCCESS", Body=b"")
    s3.put_object(Bucket=BUCKET, Key="gold/dim_region/_temporary/0/part-9.parquet", Body=b"partial")
    s3.put_object(Bucket=BUCKET, Key="gold/dim_region/.part-00000.parquet.crc", Body=b"crc")
    assert _refreshes(sf_engine, desired) == []


def test_a_new_partition_is_picked_up(sf_engine, sf_published):
    import io

    import pyarrow.parquet as pq

    from toolkit.aws import aws_client
    from toolkit.gold.schema import read_catalog

    desired = _desired(sf_published)
    _register(sf_engine, desired)
    s3 = aws_client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="gold/fact_sales/")["Contents"]
            if o["Key"].endswith(".parquet")]
    # Copy one month's file into a month that did not exist: a new hive partition.
    body = s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    s3.put_object(Bucket=BUCKET, Key="gold/fact_sales/order_month=2031-01-01/part-00000.parquet", Body=body)
    added = pq.read_metadata(io.BytesIO(body)).num_rows

    changed = _desired(sf_published)
    (refresh,) = _refreshes(sf_engine, changed)
    assert refresh.payload["op"] == "refresh_external_table" and "1 file added" in refresh.detail
    _apply(sf_engine, changed, [refresh])
    expected = read_catalog(sf_published, "s3").table("fact_sales").row_count
    assert _count(sf_engine, changed, "fact_sales") == expected
    new_month = sf_engine.run(
        f"SELECT COUNT(*) AS n FROM {changed.database}.GOLD.fact_sales WHERE order_month = '2031-01-01'")
    assert new_month.column("N").to_pylist() == [added]
    assert _refreshes(sf_engine, changed) == []


def test_a_refresh_that_finds_the_same_files_reloads_nothing(sf_engine, sf_published):
    """Snowflake's REFRESH registers nothing when the files are unchanged; the sandbox keeps its copy as loaded (the
    refresh planned once after the notifications are wired costs no reload)."""
    from toolkit.registration.statements import snowflake_refresh

    desired = _desired(sf_published)
    _register(sf_engine, desired)
    table = next(t for t in desired.tables if t.name == "dim_region")
    before = sf_engine._lookup("external_table")
    sf_engine.execute(f"DELETE FROM {desired.database}.GOLD.dim_region")  # a reload would bring the rows back
    sf_engine.refresh_external_table(snowflake_refresh(desired, table), desired, table)
    assert _count(sf_engine, desired, "dim_region") == 0
    assert sf_engine._lookup("external_table") == before
