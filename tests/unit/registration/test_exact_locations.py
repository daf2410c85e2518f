"""Each engine's table definition reads exactly the table's files (issue 11 item 3).

Docs: Snowflake "CREATE EXTERNAL TABLE" (LOCATION takes no string literal and no file name; PATTERN selects files),
"COPY INTO <table>" (PATTERN applies to the path with the stage URL's path trimmed); BigQuery "External tables for S3"
(`uris = ['s3://mybucket/*.parquet']` beside `hive_partition_uri_prefix`) and "Batch loading data" (one `*`, inside or
at the end of the object name). See toolkit/registration/files.py.
"""

from __future__ import annotations

import pytest

from toolkit.gold.model import GoldCatalog, GoldTable
from toolkit.registration.desired import desired_bigquery, desired_snowflake
from toolkit.registration.files import bigquery_reads, regex_literal, snowflake_pattern, snowflake_reads
from toolkit.sql.ddl import check_snowflake, render_all

from .conftest import DIM_REGION, FACT_SALES, ODD

ROOT = "s3://fedkit-demo-gold/gold"
ORDERS_FILE = GoldTable("orders", f"{ROOT}/orders.parquet", DIM_REGION.columns, 1, 1, 1)
NESTED_FILE = GoldTable("returns", f"{ROOT}/exports/returns.v2.parquet", DIM_REGION.columns, 1, 1, 1)


def _spec(desired, name):
    return next(t for t in desired.tables if t.name == name)


def test_a_single_file_table_reads_that_file_only(loaded):
    desired = desired_snowflake(loaded, GoldCatalog((ORDERS_FILE,)))
    spec = _spec(desired, "orders")
    assert spec.path == "" and spec.pattern == "^orders[.]parquet$"
    assert snowflake_reads(spec.pattern, "orders.parquet")
    for decoy in ("returned_orders.parquet", "orders.parquet.crc", "orders/part-0.parquet", "x/orders.parquet",
                  "ordersXparquet"):
        assert not snowflake_reads(spec.pattern, decoy), decoy


def test_a_nested_single_file_pattern_escapes_regex_characters(loaded):
    spec = _spec(desired_snowflake(loaded, GoldCatalog((NESTED_FILE,))), "returns")
    assert spec.path == "exports"
    assert snowflake_reads(spec.pattern, "exports/returns.v2.parquet")
    assert not snowflake_reads(spec.pattern, "exports/returnsXv2.parquet")
    assert not snowflake_reads(spec.pattern, "exports/old_returns.v2.parquet")


def test_a_folder_table_skips_spark_side_files_and_neighbour_folders(loaded):
    spec = _spec(desired_snowflake(loaded, GoldCatalog((FACT_SALES,))), "fact_sales")
    assert spec.path == "fact_sales"
    for read in ("fact_sales/order_month=2024-01-01/part-0.snappy.parquet", "fact_sales/part-1.parquet"):
        assert snowflake_reads(spec.pattern, read), read
    for skipped in ("fact_sales/_SUCCESS", "fact_sales/_temporary/0/part-0.parquet",
                    "fact_sales/order_month=2024-01-01/.part-0.parquet.crc", "fact_sales/.hidden.parquet",
                    "fact_sales/notes.txt", "fact_sales_old/part-0.parquet", "x/fact_sales/part-0.parquet"):
        assert not snowflake_reads(spec.pattern, skipped), skipped


def test_an_odd_folder_is_located_at_the_stage_and_named_by_the_pattern(loaded):
    """Snowflake rejects `LOCATION = '@…/Odd Table/'` (no string literal there): the location stops above the folder
    and the anchored PATTERN names it exactly."""
    desired = desired_snowflake(loaded, GoldCatalog((ODD,)))
    spec = _spec(desired, "Odd Table")
    assert spec.path == ""
    assert snowflake_reads(spec.pattern, "Odd Table/part-0.parquet")
    assert not snowflake_reads(spec.pattern, "Odd Tables/part-0.parquet")
    assert not snowflake_reads(spec.pattern, "OddXTable/part-0.parquet")
    ddl = dict(render_all(loaded, GoldCatalog((ODD,)), ("snowflake",))["snowflake"])["external_table/Odd Table"]
    assert "LOCATION = @ANALYTICS.GOLD.GOLD_STAGE/\n" in ddl and "'@" not in ddl
    check_snowflake(ddl)


def test_bigquery_uris_read_only_parquet(loaded):
    desired = desired_bigquery(loaded, GoldCatalog((FACT_SALES, ORDERS_FILE)))
    fact, orders = _spec(desired, "fact_sales"), _spec(desired, "orders")
    assert fact.uris == (f"{ROOT}/fact_sales/*.parquet",) and fact.hive_prefix == f"{ROOT}/fact_sales"
    assert bigquery_reads(fact.uris, f"{ROOT}/fact_sales/order_month=2024-01-01/part-0.parquet")
    for skipped in ("_SUCCESS", "order_month=2024-01-01/.part-0.parquet.crc", "notes.txt"):
        assert not bigquery_reads(fact.uris, f"{ROOT}/fact_sales/{skipped}"), skipped
    assert orders.uris == (f"{ROOT}/orders.parquet",)
    assert not bigquery_reads(orders.uris, f"{ROOT}/returned_orders.parquet")


@pytest.mark.parametrize("text", ["a.b", "a+b(c)", "x^y", "a b", "it's", "a$b", "a|b{1}"])
def test_regex_literal_matches_only_itself(text):
    pattern = "^" + regex_literal(text) + "$"
    assert snowflake_reads(pattern, text)
    assert not snowflake_reads(pattern, text + "x")
    assert "\\" not in regex_literal(text.replace("^", ""))  # bracket classes, not backslashes, wherever possible


def test_snowflake_pattern_for_a_folder_at_the_stage_root():
    pattern = snowflake_pattern("", single_file=False)
    assert snowflake_reads(pattern, "part-0.parquet") and not snowflake_reads(pattern, "_SUCCESS")
