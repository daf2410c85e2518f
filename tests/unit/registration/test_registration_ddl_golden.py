"""Snapshot tests of the registration DDL, parsed back by ZetaSQL (BigQuery) and sqlglot (Snowflake).

Regenerate the reviewed snapshots with `FEDKIT_UPDATE_GOLDEN=1 pytest tests/unit/registration`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.errors import CheckFailed, UsageError
from toolkit.sql.ddl import check_bigquery, check_snowflake, render_all

GOLDEN = Path(__file__).parent / "golden"


def _snapshot(statements: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"-- {name}\n{sql};" for name, sql in statements) + "\n"


@pytest.mark.parametrize("engine", ["bigquery", "snowflake"])
def test_rendered_ddl_matches_snapshot(engine, loaded, gold):
    catalog = gold.with_odd_bq if engine == "bigquery" else gold.with_odd  # BigQuery reads no flexible column names
    text = _snapshot(render_all(loaded, catalog, (engine,))[engine])
    path = GOLDEN / f"{engine}.sql"
    if os.environ.get("FEDKIT_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text(), f"{path} is stale: rerun with FEDKIT_UPDATE_GOLDEN=1 and review the diff"


def test_every_snowflake_statement_parses_back_with_sqlglot(loaded, gold):
    statements = render_all(loaded, gold.with_odd, ("snowflake",))["snowflake"]
    assert [name.split("/")[0] for name in dict(statements)][:5] == [
        "database", "schema", "integration", "file_format", "stage"
    ]
    for _, sql in statements:
        check_snowflake(sql)


def test_every_bigquery_statement_parses_back_with_zetasql(loaded, gold):
    statements = render_all(loaded, gold.with_odd_bq)["bigquery"]
    assert len(statements) == 1 + len(gold.with_odd_bq.tables)
    for _, sql in statements:
        check_bigquery(sql)


def test_checkers_reject_broken_ddl():
    with pytest.raises(CheckFailed, match="Snowflake DDL"):
        check_snowflake("CREATE EXTERNAL TABLE t (a VARCHAR AS (value:\"a\"::VARCHAR)")
    with pytest.raises(CheckFailed, match="BigQuery DDL does not parse"):
        # Google's own sample is missing a comma between options: exactly what must not slip through.
        check_bigquery("CREATE EXTERNAL TABLE `d`.`t` WITH CONNECTION `aws-us-east-1.c` OPTIONS (format = 'PARQUET' uris = ['s3://b/t/*'])")


def test_bigquery_checker_refuses_a_second_statement():
    """One rendered statement is one statement: a name that closed its quote and appended `; DROP ...` would be a
    script, which ZetaSQL parses happily unless scripts are refused."""
    one = "CREATE SCHEMA IF NOT EXISTS `p`.`gold` OPTIONS (location = 'aws-us-east-1')"
    check_bigquery(one)
    check_bigquery(one + ";")
    with pytest.raises(CheckFailed, match="BigQuery DDL does not parse"):
        check_bigquery(one + "; DROP SCHEMA `p`.`other`")


def test_biglake_partition_clause_comes_before_connection(loaded, gold):
    sql = dict(render_all(loaded, gold.sample)["bigquery"])["table/gold.fact_sales"]
    assert sql.index("WITH PARTITION COLUMNS (") < sql.index("WITH CONNECTION `aws-us-east-1.fedkit_gold`")
    assert "hive_partition_uri_prefix = 's3://fedkit-demo-gold/gold/fact_sales'" in sql
    assert "uris = ['s3://fedkit-demo-gold/gold/fact_sales/*.parquet']" in sql
    assert "max_staleness = INTERVAL 4 HOUR" in sql and "metadata_cache_mode = 'AUTOMATIC'" in sql


def test_caching_off_and_partition_filter_from_config(make_loaded, gold):
    from toolkit.config import Config  # noqa: F401  (the YAML below is validated by it)

    text = (
        "version: 1\n"
        "gold:\n  bucket: fedkit-demo-gold\n  tables:\n    fact_sales:\n      require_partition_filter: true\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
        "bigquery:\n  project: fedkit-demo\n  max_staleness_minutes: 90\n"
    )
    sql = dict(render_all(make_loaded(text), gold.sample)["bigquery"])["table/gold.fact_sales"]
    assert "require_hive_partition_filter = true" in sql
    assert "max_staleness = INTERVAL 90 MINUTE" in sql
    off = text.replace("max_staleness_minutes: 90", "max_staleness_minutes: 0")
    sql = dict(render_all(make_loaded(off), gold.sample)["bigquery"])["table/gold.fact_sales"]
    assert "max_staleness" not in sql and "metadata_cache_mode" not in sql
    assert "snowflake" not in render_all(make_loaded(off), gold.sample)


def test_integration_is_never_created_or_replaced(loaded, gold):
    for _, sql in render_all(loaded, gold.sample)["snowflake"]:
        assert "OR REPLACE" not in sql
    integration = dict(render_all(loaded, gold.sample)["snowflake"])["integration/FEDKIT_GOLD_S3"]
    assert integration.startswith("CREATE STORAGE INTEGRATION IF NOT EXISTS FEDKIT_GOLD_S3")
    assert "STORAGE_ALLOWED_LOCATIONS = ('s3://fedkit-demo-gold/gold/')" in integration


def test_stage_url_ends_with_slash_and_tables_point_into_it(loaded, gold):
    statements = dict(render_all(loaded, gold.sample)["snowflake"])
    assert "URL = 's3://fedkit-demo-gold/gold/'" in statements["stage/GOLD_STAGE"]
    assert "LOCATION = @ANALYTICS.GOLD.GOLD_STAGE/fact_sales/" in statements["external_table/fact_sales"]
