"""The pure registration planners: desired vs observed -> actions; idempotent; drift; never replace an integration."""

from __future__ import annotations

from dataclasses import replace

import pytest

from toolkit.registration.desired import desired_bigquery, desired_snowflake, sf_resolved
from toolkit.registration.observed import (
    ObservedBigQuery,
    ObservedConnection,
    ObservedIntegration,
    ObservedSnowflake,
    ObservedStage,
    column_differences,
    normalize_type,
)
from toolkit.registration.plan import (
    plan_bigquery_connection,
    plan_bigquery_tables,
    plan_snowflake_integration,
    plan_snowflake_objects,
)

ROLE = "arn:aws:iam::123456789012:role/fedkit-gold-reader"


def _bq_as_registered(desired) -> ObservedBigQuery:
    """What BigQuery reports after registering `desired` (its own type spellings)."""
    spelled = {"INT64": "INTEGER", "FLOAT64": "FLOAT", "BOOL": "BOOLEAN"}
    tables = {t.name: tuple((n, spelled.get(k, k.split("(")[0])) for n, k in t.columns) for t in desired.tables}
    return ObservedBigQuery("aws-us-east-1", ObservedConnection(ROLE, "1" * 21), tables)


def _sf_as_registered(desired) -> ObservedSnowflake:
    """What information_schema reports (upper-case names, TEXT, NUMBER(p,s), the VALUE column)."""
    def kind(t: str) -> str:
        return "TEXT" if t == "VARCHAR" else t.replace(" ", "")

    tables = {
        sf_resolved(t.name): (("VALUE", "VARIANT"), *((sf_resolved(c.name), kind(c.type)) for c in t.columns))
        for t in desired.tables
    }
    integration = ObservedIntegration(ROLE, desired.allowed_locations, True, "arn:aws:iam::1:user/x", "ext")
    return ObservedSnowflake(True, True, integration, True, ObservedStage(desired.stage_url, sf_resolved(desired.integration)), tables)


def test_bigquery_from_nothing_plans_connection_dataset_and_every_table(loaded, gold):
    desired = desired_bigquery(loaded, gold.with_odd_bq)
    (connection,) = plan_bigquery_connection(desired, ObservedBigQuery())
    assert connection.action == "create" and connection.payload["role_arn"] == ROLE
    assert '"iamRoleId": "arn:aws:iam::123456789012:role/fedkit-gold-reader"' in connection.diff
    actions = plan_bigquery_tables(desired, ObservedBigQuery())
    assert [a.resource for a in actions] == ["bigquery_dataset/gold"] + [
        f"bigquery_table/gold.{t.name}" for t in gold.with_odd_bq.tables
    ]
    assert all(a.action == "create" and a.diff == a.payload["sql"] for a in actions)


def test_bigquery_registered_means_no_actions(loaded, gold):
    desired = desired_bigquery(loaded, gold.with_odd_bq)
    observed = _bq_as_registered(desired)
    assert plan_bigquery_connection(desired, observed) == []
    assert plan_bigquery_tables(desired, observed) == []


def test_bigquery_connection_with_another_role_is_updated(loaded, gold):
    desired = desired_bigquery(loaded, gold.sample)
    observed = replace(_bq_as_registered(desired), connection=ObservedConnection("arn:aws:iam::1:role/old", "1" * 21))
    (update,) = plan_bigquery_connection(desired, observed)
    assert update.action == "update" and "- iamRoleId: arn:aws:iam::1:role/old" in update.diff


def test_bigquery_dataset_in_another_location_is_reported_not_touched(loaded, gold):
    desired = desired_bigquery(loaded, gold.sample)
    observed = replace(_bq_as_registered(desired), dataset_location="aws-eu-west-1")
    (drift,) = plan_bigquery_tables(desired, observed)
    assert drift.action == "drift" and "cannot change" in drift.detail


def test_bigquery_drift_reported_then_replaced_with_flag(loaded, gold):
    desired = desired_bigquery(loaded, gold.sample)
    observed = _bq_as_registered(desired)
    region = observed.tables["dim_region"]
    observed.tables["dim_region"] = region[:-1] + (("region", "INTEGER"), ("old_col", "STRING"))
    (drift,) = plan_bigquery_tables(desired, observed)
    assert drift.action == "drift" and drift.resource == "bigquery_table/gold.dim_region"
    assert "column region is INT64 in the table but STRING in the Parquet" in drift.detail
    assert "old_col" in drift.detail and "--replace" in drift.detail and not drift.diff
    (replace_action,) = plan_bigquery_tables(desired, observed, replace=True)
    assert replace_action.action == "replace"
    assert replace_action.diff.startswith("CREATE OR REPLACE EXTERNAL TABLE `gold`.`dim_region`")


def test_snowflake_from_nothing_in_dependency_order(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    (integration,) = plan_snowflake_integration(desired, ObservedSnowflake())
    assert integration.action == "create" and "IF NOT EXISTS" in integration.diff
    kinds = [a.resource.split("/")[0] for a in plan_snowflake_objects(desired, ObservedSnowflake())]
    assert kinds == ["snowflake_database", "snowflake_schema", "snowflake_file_format", "snowflake_stage"] + [
        "snowflake_external_table"
    ] * len(gold.with_odd.tables)


def test_snowflake_registered_means_no_actions(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    observed = _sf_as_registered(desired)
    assert plan_snowflake_integration(desired, observed) == []
    assert plan_snowflake_objects(desired, observed) == []


def test_snowflake_integration_changes_are_altered_never_replaced(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    observed = _sf_as_registered(desired)
    moved = replace(observed, integration=replace(observed.integration, role_arn="arn:aws:iam::1:role/old",
                                                  allowed_locations=("s3://other/",)))
    (update,) = plan_snowflake_integration(desired, moved)
    assert update.action == "update" and update.payload["op"] == "alter_integration"
    assert "ALTER STORAGE INTEGRATION FEDKIT_GOLD_S3 SET" in update.diff and "OR REPLACE" not in update.diff
    assert "- STORAGE_AWS_ROLE_ARN = arn:aws:iam::1:role/old" in update.diff


def test_snowflake_drift_and_stage_mismatch(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    observed = _sf_as_registered(desired)
    observed.tables["FACT_SALES"] = observed.tables["FACT_SALES"][:-1]  # the table lacks the last Parquet column
    observed = replace(observed, stage=ObservedStage("s3://elsewhere/", "FEDKIT_GOLD_S3"))
    actions = plan_snowflake_objects(desired, observed)
    assert [(a.action, a.resource.split("/")[0]) for a in actions] == [
        ("drift", "snowflake_stage"), ("drift", "snowflake_external_table")
    ]
    assert "channel" in actions[1].detail and "not in the table" in actions[1].detail
    replaced = plan_snowflake_objects(desired, observed, replace=True)
    assert replaced[1].action == "replace" and "CREATE OR REPLACE EXTERNAL TABLE ANALYTICS.GOLD.fact_sales" in replaced[1].diff


@pytest.mark.parametrize(
    ("engine", "a", "b"),
    [
        ("bigquery", "INT64", "INTEGER"), ("bigquery", "NUMERIC(12, 2)", "NUMERIC"), ("bigquery", "ARRAY<INT64>", "ARRAY<INTEGER>"),
        ("snowflake", "VARCHAR", "TEXT"), ("snowflake", "NUMBER(38, 0)", "NUMBER(38,0)"), ("snowflake", "FLOAT", "DOUBLE"),
    ],
)
def test_type_spellings_compare_equal(engine, a, b):
    assert normalize_type(engine, a) == normalize_type(engine, b)


def test_snowflake_decimal_scale_change_is_drift():
    assert column_differences("snowflake", (("amount", "NUMBER(12, 2)"),), (("AMOUNT", "NUMBER(12,4)"),)) == [
        "column amount is NUMBER(12,4) in the table but NUMBER(12,2) in the Parquet"
    ]


def test_a_decimal_no_engine_type_holds_is_refused_before_any_ddl(loaded):
    """decimal256(50, 20) fits BIGNUMERIC but not Snowflake's 38-digit NUMBER: it used to become NUMBER(38, 20)."""
    from toolkit.errors import UsageError
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.types import LogicalType

    wide = Column("amount", LogicalType("decimal", 50, 20), arrow_type="decimal256(50, 20)")
    catalog = GoldCatalog((GoldTable("ledger", "s3://fedkit-demo-gold/gold/ledger", (wide,)),))
    assert desired_bigquery(loaded, catalog).tables[0].columns == (("amount", "BIGNUMERIC(50, 20)"),)
    with pytest.raises(UsageError, match=r"^table ledger: column 'amount' \(Arrow decimal256\(50, 20\)\): no Snowflake type"):
        desired_snowflake(loaded, catalog)
