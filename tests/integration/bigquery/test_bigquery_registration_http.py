"""BigQuery registration end to end through the real clients against a local HTTP server: observe -> pure plan ->
the adapter's steps, asserting on the requests received (connection body, the rendered DDL text of every job, the
Omni location, no dry run), then drift and `replace` against a table whose schema lacks a Parquet column."""

from __future__ import annotations

import json

import pytest

from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.registration import statements
from toolkit.registration.desired import desired_bigquery
from toolkit.registration.plan import plan_bigquery_connection, plan_bigquery_tables
from toolkit.sql.ddl import check_bigquery
from toolkit.types import LogicalType

from .test_bigquery_cloud_http import BQ, CONFIG, CONN, IDENTITY, PROJECT, _jobs, _requests

ROLE = "arn:aws:iam::123456789012:role/fedkit-gold-reader"
ROOT = "s3://fedkit-demo-gold/gold"
FACT = GoldTable("fact_sales", f"{ROOT}/fact_sales", (
    Column("sale_id", LogicalType("int64")),
    Column("amount", LogicalType("decimal", 12, 2)),
    Column("order_month", LogicalType("date"), nullable=False, partition=True),
))
ODD = GoldTable("Odd Table", f"{ROOT}/Odd Table", (  # a table name with a space; columns BigQuery can read
    Column("Customer_Name", LogicalType("string")), Column("select", LogicalType("int64")),
))
CATALOG = GoldCatalog((FACT, ODD))


@pytest.fixture
def engine(httpserver, tmp_path):
    from google.auth.credentials import AnonymousCredentials

    from toolkit.config import load_config
    from toolkit.engines.bigquery import BigQueryCloudEngine

    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG)
    engine = BigQueryCloudEngine(load_config(path), credentials=AnonymousCredentials(),
                                 client_options={"api_endpoint": httpserver.url_for("").rstrip("/")})
    yield engine
    engine.close()


def _not_found(httpserver, path: str) -> None:
    httpserver.expect_request(path, method="GET").respond_with_json(
        {"error": {"code": 404, "message": f"Not found: {path}", "status": "NOT_FOUND"}}, status=404
    )


def _run(engine, desired, actions) -> None:
    """What the registration targets do with each planned step."""
    for action in actions:
        p = action.payload
        if p["op"] == "create_connection":
            engine.create_connection(p["location"], p["connection_id"], p["role_arn"])
        elif p["op"] == "create_dataset":
            engine.create_dataset(p["sql"], p["dataset"])
        elif p["op"] == "create_table":
            engine.create_table(p["sql"], desired, p["spec"], replace=bool(p.get("replace")))


def test_registration_from_nothing_sends_the_rendered_ddl(engine, httpserver):
    desired = desired_bigquery(engine.loaded, CATALOG)
    for path in (f"{BQ}/datasets/gold", f"{CONN}/fedkit_gold", f"{BQ}/datasets/gold/tables"):
        _not_found(httpserver, path)
    httpserver.expect_request(CONN, method="POST").respond_with_json({
        "name": f"projects/{PROJECT}/locations/aws-us-east-1/connections/fedkit_gold",
        "aws": {"accessRole": {"iamRoleId": ROLE, "identity": IDENTITY}},
    })
    _jobs(httpserver)

    observed = engine.observe(desired)
    assert observed.dataset_location is None and observed.connection is None and observed.tables == {}
    actions = plan_bigquery_connection(desired, observed) + plan_bigquery_tables(desired, observed)
    assert [a.resource for a in actions] == [
        "bigquery_connection/aws-us-east-1.fedkit_gold", "bigquery_dataset/gold",
        "bigquery_table/gold.fact_sales", "bigquery_table/gold.Odd Table",
    ]
    _run(engine, desired, actions)

    (connection,) = _requests(httpserver, "POST", CONN)
    assert connection.args["connectionId"] == "fedkit_gold"
    assert json.loads(connection.data) == {"aws": {"accessRole": {"iamRoleId": ROLE}}}
    jobs = [json.loads(r.data) for r in _requests(httpserver, "POST", f"{BQ}/jobs")]
    assert [j["jobReference"]["location"] for j in jobs] == ["aws-us-east-1"] * 3
    assert all(j["configuration"].get("dryRun") in (None, False) for j in jobs)
    sent = [j["configuration"]["query"]["query"] for j in jobs]
    assert sent == [statements.bigquery_dataset(desired)] + [statements.bigquery_table(desired, t) for t in desired.tables]
    assert sent[0] == "CREATE SCHEMA IF NOT EXISTS `gold`\nOPTIONS (location = 'aws-us-east-1')"
    fact, odd = sent[1], sent[2]
    assert fact.index("WITH PARTITION COLUMNS (\n  `order_month` DATE\n)") < fact.index(
        "WITH CONNECTION `aws-us-east-1.fedkit_gold`")
    assert "hive_partition_uri_prefix = 's3://fedkit-demo-gold/gold/fact_sales'" in fact
    assert "CREATE EXTERNAL TABLE IF NOT EXISTS `gold`.`Odd Table`" in odd
    assert "uris = ['s3://fedkit-demo-gold/gold/Odd Table/*.parquet']" in odd
    for sql in sent:
        check_bigquery(sql)  # what BigQuery received parses with BigQuery's own front end


def test_drifted_table_is_reported_then_replaced_over_rest(engine, httpserver):
    desired = desired_bigquery(engine.loaded, GoldCatalog((FACT,)))
    httpserver.expect_request(f"{BQ}/datasets/gold", method="GET").respond_with_json(
        {"datasetReference": {"projectId": PROJECT, "datasetId": "gold"}, "location": "aws-us-east-1"}
    )
    _not_found(httpserver, f"{CONN}/fedkit_gold")
    ref = {"projectId": PROJECT, "datasetId": "gold", "tableId": "fact_sales"}
    httpserver.expect_request(f"{BQ}/datasets/gold/tables", method="GET").respond_with_json(
        {"tables": [{"tableReference": ref, "type": "EXTERNAL"}], "totalItems": 1}
    )
    httpserver.expect_request(f"{BQ}/datasets/gold/tables/fact_sales", method="GET").respond_with_json({
        "tableReference": ref, "type": "EXTERNAL",
        "schema": {"fields": [  # registered before `amount` was added to the Parquet
            {"name": "sale_id", "type": "INTEGER", "mode": "NULLABLE"},
            {"name": "order_month", "type": "DATE", "mode": "NULLABLE"},
        ]},
    })
    _jobs(httpserver)

    observed = engine.observe(desired)
    (drift,) = plan_bigquery_tables(desired, observed)
    assert drift.action == "drift" and "column amount (NUMERIC) is in the Parquet but not in the table" in drift.detail
    _run(engine, desired, [drift])
    assert not _requests(httpserver, "POST", f"{BQ}/jobs")  # reported, nothing sent

    (replace,) = plan_bigquery_tables(desired, observed, replace=True)
    _run(engine, desired, [replace])
    (job,) = [json.loads(r.data) for r in _requests(httpserver, "POST", f"{BQ}/jobs")]
    assert job["configuration"]["query"]["query"].startswith("CREATE OR REPLACE EXTERNAL TABLE `gold`.`fact_sales`")
    assert job["configuration"]["query"]["query"] == statements.bigquery_table(desired, desired.tables[0], replace=True)
