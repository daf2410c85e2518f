"""Existing tables whose file selection is out of date: planned as a `replace` naming old → new (issue 11 follow-up).

A table created by an older fedkit keeps `PATTERN = '.*[.]parquet'` / `uris = ['…/*']` while its columns still match.
Pages: Snowflake "SHOW EXTERNAL TABLES" (`location`), "GET_DDL" (the PATTERN), "ALTER EXTERNAL TABLE" (only
AUTO_REFRESH can be SET, so a new LOCATION/PATTERN is CREATE OR REPLACE); BigQuery REST "tables" resource
(ExternalDataConfiguration.sourceUris, hivePartitioningOptions.sourceUriPrefix).
"""

from __future__ import annotations

from dataclasses import replace

from toolkit.registration import statements
from toolkit.registration.definitions import parse_bigquery_ddl, parse_snowflake_ddl
from toolkit.registration.desired import desired_bigquery, desired_snowflake, sf_resolved
from toolkit.registration.observed import BigQueryDefinition, SnowflakeDefinition
from toolkit.registration.plan import plan_bigquery_tables, plan_snowflake_objects

from .test_registration_plan import _bq_as_registered, _sf_as_registered

OLD_FOLDER = ".*[.]parquet"  # what fedkit rendered before exact locations


def _sf_defined(desired, **overrides):
    """What SHOW EXTERNAL TABLES / GET_DDL report for `desired` as fedkit creates it, with `overrides` by table."""
    stage = f"@{desired.database}.{desired.schema}.{desired.stage}"
    found = {}
    for table in desired.tables:
        path = table.path.strip("/")
        found[sf_resolved(table.name)] = overrides.get(table.name) or SnowflakeDefinition(
            f"{stage}/{path}/" if path else f"{stage}/", table.pattern)
    return replace(_sf_as_registered(desired), definitions=found)


def _bq_defined(desired, **overrides):
    found = {t.name: overrides.get(t.name) or BigQueryDefinition(t.uris, t.hive_prefix) for t in desired.tables}
    return replace(_bq_as_registered(desired), definitions=found)


def test_snowflake_same_definition_plans_nothing(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    assert plan_snowflake_objects(desired, _sf_defined(desired)) == []


def test_snowflake_resolved_s3_location_and_quoted_stage_compare_equal(loaded, gold):
    """SHOW's `location` may name the stage (quoted or not) or the resolved URL: both spell the same folder."""
    desired = desired_snowflake(loaded, gold.sample)
    fact = next(t for t in desired.tables if t.name == "fact_sales")
    for location in ("s3://fedkit-demo-gold/gold/fact_sales/", '@ANALYTICS.GOLD."GOLD_STAGE"/fact_sales/'):
        observed = _sf_defined(desired, fact_sales=SnowflakeDefinition(location, fact.pattern))
        assert plan_snowflake_objects(desired, observed) == []


def test_snowflake_old_pattern_is_replaced_without_the_flag(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    fact = next(t for t in desired.tables if t.name == "fact_sales")
    observed = _sf_defined(desired, fact_sales=SnowflakeDefinition("@ANALYTICS.GOLD.GOLD_STAGE/fact_sales/", OLD_FOLDER))
    (action,) = plan_snowflake_objects(desired, observed)
    assert action.action == "replace" and action.resource == "snowflake_external_table/ANALYTICS.GOLD.fact_sales"
    assert f"PATTERN '.*[.]parquet' → '{fact.pattern}'" in action.detail and "recreated" in action.detail
    assert action.diff.startswith(f"- PATTERN = '.*[.]parquet'\n+ PATTERN = '{fact.pattern}'\n\n")
    assert action.diff.endswith(statements.snowflake_table(desired, fact, replace=True))
    assert action.payload["op"] == "create_external_table" and action.payload["replace"] is True
    assert action.payload["spec"] is fact
    # Once recreated, Snowflake reports fedkit's definition: the second plan is empty.
    assert plan_snowflake_objects(desired, _sf_defined(desired)) == []


def test_snowflake_other_location_is_named_old_to_new(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    odd = next(t for t in desired.tables if t.name == "Odd Table")
    assert odd.path == ""  # LOCATION stops at the stage root; the PATTERN names the folder
    observed = _sf_defined(desired, **{"Odd Table": SnowflakeDefinition('@ANALYTICS.GOLD.GOLD_STAGE/Odd/', odd.pattern)})
    (action,) = plan_snowflake_objects(desired, observed)
    assert action.action == "replace"
    assert "LOCATION @ANALYTICS.GOLD.GOLD_STAGE/Odd/ → @ANALYTICS.GOLD.GOLD_STAGE/" in action.detail


def test_snowflake_another_stage_is_a_different_location(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    fact = next(t for t in desired.tables if t.name == "fact_sales")
    for location in ("@ANALYTICS.GOLD.OLD_STAGE/fact_sales/", '@ANALYTICS.GOLD."gold_stage"/fact_sales/',
                     "s3://elsewhere/gold/fact_sales/"):
        observed = _sf_defined(desired, fact_sales=SnowflakeDefinition(location, fact.pattern))
        (action,) = plan_snowflake_objects(desired, observed)
        assert action.action == "replace" and f"LOCATION {location} → @ANALYTICS.GOLD.GOLD_STAGE/fact_sales/" \
            in action.detail
    same = SnowflakeDefinition('@"ANALYTICS"."GOLD".gold_stage/fact_sales/', fact.pattern)
    assert plan_snowflake_objects(desired, _sf_defined(desired, fact_sales=same)) == []


def test_snowflake_column_drift_with_an_old_pattern_still_needs_the_flag(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    observed = _sf_defined(desired, fact_sales=SnowflakeDefinition(None, OLD_FOLDER))
    observed.tables["FACT_SALES"] = observed.tables["FACT_SALES"][:-1]
    (drift,) = plan_snowflake_objects(desired, observed)
    assert drift.action == "drift" and "--replace" in drift.detail and "PATTERN '.*[.]parquet' →" in drift.detail
    (action,) = plan_snowflake_objects(desired, observed, replace=True)
    assert action.action == "replace" and "not in the table" in action.detail and "PATTERN" in action.detail


def test_snowflake_definition_not_read_is_not_compared(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    observed = _sf_defined(desired, fact_sales=SnowflakeDefinition(None, None))
    assert plan_snowflake_objects(desired, observed) == []


def test_bigquery_old_uris_are_replaced_without_the_flag(loaded, gold):
    desired = desired_bigquery(loaded, gold.sample)
    region = next(t for t in desired.tables if t.name == "dim_region")
    old = BigQueryDefinition(("s3://fedkit-demo-gold/gold/dim_region/*",))
    (action,) = plan_bigquery_tables(desired, _bq_defined(desired, dim_region=old))
    assert action.action == "replace" and action.resource == "bigquery_table/gold.dim_region"
    assert ("uris ['s3://fedkit-demo-gold/gold/dim_region/*'] → ['s3://fedkit-demo-gold/gold/dim_region/*.parquet']"
            in action.detail)
    assert action.diff.endswith(statements.bigquery_table(desired, region, replace=True))
    assert action.payload["replace"] is True and action.payload["op"] == "create_table"
    assert plan_bigquery_tables(desired, _bq_defined(desired)) == []


def test_bigquery_hive_prefix_with_a_trailing_slash_is_the_same(loaded, gold):
    desired = desired_bigquery(loaded, gold.sample)
    fact = next(t for t in desired.tables if t.name == "fact_sales")
    assert fact.hive_prefix
    same = BigQueryDefinition(fact.uris, fact.hive_prefix + "/")
    assert plan_bigquery_tables(desired, _bq_defined(desired, fact_sales=same)) == []
    dropped = BigQueryDefinition(fact.uris, None)
    (action,) = plan_bigquery_tables(desired, _bq_defined(desired, fact_sales=dropped))
    assert "hive_partition_uri_prefix (none) →" in action.detail


def test_parse_snowflake_ddl_reads_location_and_pattern_not_a_column_literal():
    ddl = """create or replace external table DB.S."T"(
\tA DATE AS (TO_DATE(SPLIT_PART(metadata$filename, '/pattern=', 2))),
\tB VARCHAR AS (value:"pattern"::VARCHAR))
partition by (A)
location=@DB.S."Gold Stage"/t/
pattern='^t/([^_./][^/]*/)*[^_./][^/]*[.]parquet$'
auto_refresh=false
file_format=(FORMAT_NAME='DB.S.FEDKIT_PARQUET');"""
    parsed = parse_snowflake_ddl(ddl)
    assert parsed == SnowflakeDefinition('@DB.S."Gold Stage"/t/', "^t/([^_./][^/]*/)*[^_./][^/]*[.]parquet$")
    assert parse_snowflake_ddl("CREATE EXTERNAL TABLE t (a INT AS (1)) LOCATION = @s/") == SnowflakeDefinition("@s/", "")
    assert parse_snowflake_ddl("not a statement") == SnowflakeDefinition(None, None)


def test_parse_snowflake_ddl_of_fedkits_own_statement(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    for table in desired.tables:
        parsed = parse_snowflake_ddl(statements.snowflake_table(desired, table))
        assert parsed.pattern == table.pattern
        assert plan_snowflake_objects(desired, _sf_defined(desired, **{table.name: parsed})) == []


def test_parse_bigquery_ddl_of_fedkits_own_statement(loaded, gold):
    desired = desired_bigquery(loaded, gold.sample)
    for table in desired.tables:
        assert parse_bigquery_ddl(statements.bigquery_table(desired, table)) == BigQueryDefinition(
            table.uris, table.hive_prefix)
    assert parse_bigquery_ddl("CREATE SCHEMA gold") is None
