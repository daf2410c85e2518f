"""Contract tests: how the cloud Snowflake adapter reads an external table's LOCATION and PATTERN.

fakesnow has no external tables, so the connector is faked and the statements are pinned. SHOW EXTERNAL TABLES reports
`location` ("External stage and folder path in the external table definition") and documents no `pattern` column
(https://docs.snowflake.com/en/sql-reference/sql/show-external-tables); GET_DDL('TABLE', …) returns the statement that
recreates the table, PATTERN included (https://docs.snowflake.com/en/sql-reference/functions/get_ddl).
"""

from __future__ import annotations

from typing import Any

from toolkit.registration.desired import desired_snowflake
from toolkit.registration.observed import SnowflakeDefinition
from toolkit.registration.plan import plan_snowflake_objects

from .test_snowflake_cloud_refresh_contract import _engine, _no_real_connector  # noqa: F401 (autouse fixture)

OLD_DDL = """create or replace external table ANALYTICS.GOLD.FACT_SALES(
\tORDER_MONTH DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART(metadata$filename, '/order_month=', 2), '/', 1))),
\tSALE_ID NUMBER(38,0) AS (CAST(GET(VALUE, 'sale_id') AS NUMBER(38,0))))
partition by (ORDER_MONTH)
location=@ANALYTICS.GOLD.GOLD_STAGE/fact_sales/
pattern='.*[.]parquet'
auto_refresh=false
file_format=(FORMAT_NAME='ANALYTICS.GOLD.FEDKIT_PARQUET');"""


def _answers(desired, show_rows: list[dict[str, Any]], ddl: dict[str, str]):
    """ANALYTICS.GOLD with fedkit's objects; every sample table exists with the columns fedkit defines."""
    def answer(sql: str) -> list[dict[str, Any]]:
        if sql.startswith("SHOW DATABASES"):
            return [{"name": "ANALYTICS"}]
        if sql.startswith("SHOW SCHEMAS"):
            return [{"name": "GOLD"}]
        if sql.startswith(("SHOW FILE FORMATS", "SHOW STAGES")):
            return []
        if sql.startswith("SHOW EXTERNAL TABLES"):
            return show_rows
        if sql.startswith("SELECT table_name"):
            return [{"table_name": t.name.upper(), "column_name": c.name.upper(), "data_type": c.type,
                     "numeric_precision": None, "numeric_scale": None} for t in desired.tables for c in t.columns]
        if sql.startswith("SELECT GET_DDL"):
            name = sql.split("'")[3].rsplit(".", 1)[-1]
            return [{"DDL": ddl[name]}]
        raise AssertionError(f"unexpected statement {sql!r}")

    return answer


def _row(name: str, location: Any, **extra: Any) -> dict[str, Any]:
    return {"created_on": None, "name": name, "location": location, "notification_channel": None,
            "last_refreshed_on": None, **extra}


def test_location_from_show_and_pattern_from_get_ddl(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    fact = next(t for t in desired.tables if t.name == "fact_sales")
    rows = [_row("FACT_SALES", "@ANALYTICS.GOLD.GOLD_STAGE/fact_sales/"),
            _row("DIM_REGION", "s3://fedkit-demo-gold/gold/dim_region/"),
            _row("NOT_FEDKITS", "@ANALYTICS.GOLD.OTHER/x/")]
    no_pattern = "create or replace external table ANALYTICS.GOLD.DIM_REGION(\n\tA NUMBER AS (1))\n" \
                 "location=@ANALYTICS.GOLD.GOLD_STAGE/dim_region/\nauto_refresh=false;"
    engine, conn = _engine(loaded, _answers(desired, rows, {"fact_sales": OLD_DDL, "dim_region": no_pattern}))
    observed = engine.observe_objects(desired)
    assert [s for s in conn.sent if "GET_DDL" in s] == [
        "SELECT GET_DDL('TABLE', 'ANALYTICS.GOLD.fact_sales') AS DDL",
        "SELECT GET_DDL('TABLE', 'ANALYTICS.GOLD.dim_region') AS DDL",
    ]  # only fedkit's tables, named as fedkit's DDL names them; one query each
    assert observed.definitions == {
        "FACT_SALES": SnowflakeDefinition("@ANALYTICS.GOLD.GOLD_STAGE/fact_sales/", ".*[.]parquet"),
        "DIM_REGION": SnowflakeDefinition("s3://fedkit-demo-gold/gold/dim_region/", ""),
    }
    actions = plan_snowflake_objects(desired, observed)
    replaced = {a.resource.rsplit(".", 1)[-1]: a for a in actions if a.action == "replace"}
    assert set(replaced) == {"fact_sales", "dim_region"}
    assert f"PATTERN '.*[.]parquet' → '{fact.pattern}'" in replaced["fact_sales"].detail
    assert "PATTERN (none) →" in replaced["dim_region"].detail


def test_a_pattern_column_is_used_as_is(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    rows = [_row(t.name.upper(), f"@ANALYTICS.GOLD.GOLD_STAGE/{t.path}/", pattern=t.pattern) for t in desired.tables]
    engine, conn = _engine(loaded, _answers(desired, rows, {}))
    observed = engine.observe_objects(desired)
    assert not [s for s in conn.sent if "GET_DDL" in s]
    assert observed.definitions["FACT_SALES"].pattern == next(t.pattern for t in desired.tables if t.name == "fact_sales")
    assert not [a for a in plan_snowflake_objects(desired, observed) if a.resource.startswith("snowflake_external")]


def test_a_table_already_as_defined_plans_no_replace(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    from toolkit.registration import statements

    rows = [_row(t.name.upper(), None) for t in desired.tables]  # no location reported: GET_DDL's is used
    ddl = {t.name: statements.snowflake_table(desired, t) for t in desired.tables}
    engine, _ = _engine(loaded, _answers(desired, rows, ddl))
    observed = engine.observe_objects(desired)
    assert {name: d.pattern for name, d in observed.definitions.items()} == {
        t.name.upper(): t.pattern for t in desired.tables}
    assert not [a for a in plan_snowflake_objects(desired, observed) if a.resource.startswith("snowflake_external")]
