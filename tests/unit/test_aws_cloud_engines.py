"""`kpi run` on the real Athena / Redshift: the exact API calls (botocore Stubber) and the typed Arrow rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import boto3
import pytest
from botocore.stub import Stubber

import toolkit.aws
from toolkit.config import load_config
from toolkit.engines.registry import get_engine


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "federation.yaml"
    path.write_text("version: 1\ngold:\n  bucket: fedkit-demo-gold\naws:\n  account_id: '123456789012'\n"
                    "  region: us-east-1\nathena:\n  workgroup: fedkit\n  database: gold_lake\n"
                    "redshift:\n  workgroup: fedkit-wg\n")
    return load_config(path)


def _client(service: str, monkeypatch):
    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    monkeypatch.setattr(toolkit.aws, "aws_client", lambda name, region=None, **_: client)
    return client


def test_athena_cloud_run_reads_typed_rows_across_pages(loaded, monkeypatch):
    client = _client("athena", monkeypatch)
    engine = get_engine("athena", loaded, mode="cloud")
    info = {"ColumnInfo": [{"Name": "channel", "Type": "varchar"}, {"Name": "orders", "Type": "bigint"},
                           {"Name": "revenue", "Type": "decimal"}, {"Name": "aov", "Type": "double"},
                           {"Name": "month", "Type": "date"}]}
    with Stubber(client) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-1"}, {
            "QueryString": "SELECT 1", "WorkGroup": "fedkit",
            "QueryExecutionContext": {"Catalog": "AwsDataCatalog", "Database": "gold_lake"}})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}},
                          {"QueryExecutionId": "q-1"})
        header = {"Data": [{"VarCharValue": n} for n in ("channel", "orders", "revenue", "aov", "month")]}
        web = {"Data": [{"VarCharValue": "web"}, {"VarCharValue": "3"}, {"VarCharValue": "10.50"},
                        {"VarCharValue": "3.5"}, {"VarCharValue": "2024-01-01"}]}
        empty = {"Data": [{"VarCharValue": "store"}, {}, {}, {}, {}]}
        stub.add_response("get_query_results", {"ResultSet": {"Rows": [header, web], "ResultSetMetadata": info},
                                                "NextToken": "t2"}, {"QueryExecutionId": "q-1"})
        stub.add_response("get_query_results", {"ResultSet": {"Rows": [empty], "ResultSetMetadata": info}},
                          {"QueryExecutionId": "q-1", "NextToken": "t2"})
        table = engine.run("SELECT 1;")
        stub.assert_no_pending_responses()
    assert table.to_pylist() == [
        {"channel": "web", "orders": 3, "revenue": Decimal("10.50"), "aov": 3.5, "month": dt.date(2024, 1, 1)},
        {"channel": "store", "orders": None, "revenue": None, "aov": None, "month": None}]


def test_redshift_cloud_run_reads_data_api_records(loaded, monkeypatch):
    client = _client("redshift-data", monkeypatch)
    engine = get_engine("redshift", loaded, mode="cloud")
    with Stubber(client) as stub:
        stub.add_response("execute_statement", {"Id": "s-1"},
                          {"Sql": "SELECT 1", "Database": "dev", "WorkgroupName": "fedkit-wg"})
        stub.add_response("describe_statement", {"Id": "s-1", "Status": "FINISHED"}, {"Id": "s-1"})
        meta = [{"name": "channel", "typeName": "varchar"}, {"name": "orders", "typeName": "int8"},
                {"name": "revenue", "typeName": "numeric"}, {"name": "aov", "typeName": "float8"}]
        stub.add_response("get_statement_result", {"ColumnMetadata": meta, "TotalNumRows": 2, "Records": [
            [{"stringValue": "web"}, {"longValue": 3}, {"stringValue": "10.50"}, {"doubleValue": 3.5}],
            [{"stringValue": "store"}, {"isNull": True}, {"isNull": True}, {"isNull": True}]]}, {"Id": "s-1"})
        table = engine.run("SELECT 1")
        stub.assert_no_pending_responses()
    assert table.to_pylist() == [
        {"channel": "web", "orders": 3, "revenue": Decimal("10.50"), "aov": 3.5},
        {"channel": "store", "orders": None, "revenue": None, "aov": None}]
