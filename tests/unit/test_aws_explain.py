"""Athena and Redshift online checks: the exact API calls (botocore Stubber, no cloud here) and their failures."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from toolkit.config_query_engines import AthenaConfig, RedshiftConfig
from toolkit.engines.aws_explain import athena_explain, redshift_explain
from toolkit.errors import CheckFailed

SQL = "SELECT channel, SUM(amount) AS revenue\nFROM gold_lake.fact_sales\nGROUP BY channel;\n"
EXPLAINED = "EXPLAIN SELECT channel, SUM(amount) AS revenue\nFROM gold_lake.fact_sales\nGROUP BY channel"


def _client(service: str):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def test_athena_explain_runs_in_the_workgroup_with_results_location():
    athena = _client("athena")
    config = AthenaConfig(workgroup="fedkit", output_location="s3://fedkit-results/athena/")
    with Stubber(athena) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-1"}, {
            "QueryString": EXPLAINED, "WorkGroup": "fedkit",
            "ResultConfiguration": {"OutputLocation": "s3://fedkit-results/athena/"},
            "QueryExecutionContext": {"Catalog": "AwsDataCatalog", "Database": "gold_lake"}})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "RUNNING"}}},
                          {"QueryExecutionId": "q-1"})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}},
                          {"QueryExecutionId": "q-1"})
        slept: list[float] = []
        athena_explain(athena, SQL, config, database="gold_lake", sleep=slept.append)
        stub.assert_no_pending_responses()
    assert slept == [0.5]


def test_athena_explain_failure_carries_athenas_reason():
    athena = _client("athena")
    with Stubber(athena) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-2"},
                          {"QueryString": "EXPLAIN SELECT nope FROM t", "WorkGroup": "primary"})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {
            "State": "FAILED", "StateChangeReason": "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
            "AthenaError": {"ErrorMessage": "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved"}}}},
            {"QueryExecutionId": "q-2"})
        with pytest.raises(CheckFailed, match="Athena EXPLAIN failed: COLUMN_NOT_FOUND: line 1:8: Column 'nope'"):
            athena_explain(athena, "SELECT nope FROM t", AthenaConfig(), sleep=lambda s: None)


def test_athena_explain_is_stopped_past_its_budget():
    athena = _client("athena")
    with Stubber(athena) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-3"},
                          {"QueryString": "EXPLAIN SELECT 1", "WorkGroup": "primary"})
        for _ in range(3):
            stub.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "QUEUED"}}},
                              {"QueryExecutionId": "q-3"})
        stub.add_response("stop_query_execution", {}, {"QueryExecutionId": "q-3"})
        with pytest.raises(CheckFailed, match="did not finish within 1 s"):
            athena_explain(athena, "SELECT 1", AthenaConfig(), sleep=lambda s: None, timeout=1.0)
        stub.assert_no_pending_responses()


def test_redshift_explain_through_the_data_api_on_a_serverless_workgroup():
    data = _client("redshift-data")
    config = RedshiftConfig(workgroup="fedkit-wg", database="dev")
    with Stubber(data) as stub:
        stub.add_response("execute_statement", {"Id": "s-1"},
                          {"Sql": EXPLAINED, "Database": "dev", "WorkgroupName": "fedkit-wg"})
        stub.add_response("describe_statement", {"Id": "s-1", "Status": "STARTED"}, {"Id": "s-1"})
        stub.add_response("describe_statement", {"Id": "s-1", "Status": "FINISHED"}, {"Id": "s-1"})
        redshift_explain(data, SQL, config, sleep=lambda s: None)
        stub.assert_no_pending_responses()


def test_redshift_explain_on_a_cluster_with_a_secret_reports_redshifts_error():
    data = _client("redshift-data")
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fedkit-redshift-AbCdEf"
    config = RedshiftConfig(cluster_identifier="fedkit-cluster", database="analytics", secret_arn=secret)
    with Stubber(data) as stub:
        stub.add_response("execute_statement", {"Id": "s-2"}, {
            "Sql": "EXPLAIN SELECT nope FROM gold_spectrum.fact_sales", "Database": "analytics",
            "ClusterIdentifier": "fedkit-cluster", "SecretArn": secret})
        stub.add_response("describe_statement", {"Id": "s-2", "Status": "FAILED",
                                                 "Error": 'ERROR: column "nope" does not exist'}, {"Id": "s-2"})
        with pytest.raises(CheckFailed, match='Redshift EXPLAIN failed: ERROR: column "nope" does not exist'):
            redshift_explain(data, "SELECT nope FROM gold_spectrum.fact_sales", config, sleep=lambda s: None)


def _loaded(tmp_path):
    from toolkit.config import load_config

    path = tmp_path / "federation.yaml"
    path.write_text("version: 1\ngold:\n  bucket: fedkit-demo-gold\naws:\n  account_id: '123456789012'\n"
                    "  region: us-east-1\nathena:\n  workgroup: fedkit\n  database: gold_lake\n")
    return load_config(path)


def test_validate_online_runs_athena_explain_per_passing_file(tmp_path, monkeypatch):
    import toolkit.aws
    from toolkit.sql.validate.online import OnlineChecks

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    athena = _client("athena")
    monkeypatch.setattr(toolkit.aws, "aws_client", lambda service, region=None, **_: athena)
    checks = OnlineChecks(_loaded(tmp_path), ("athena", "duckdb"))
    with Stubber(athena) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-9"}, {
            "QueryString": "EXPLAIN SELECT 1", "WorkGroup": "fedkit",
            "QueryExecutionContext": {"Catalog": "AwsDataCatalog", "Database": "gold_lake"}})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}},
                          {"QueryExecutionId": "q-9"})
        [result] = checks("sql/kpi/x.sql", "athena", "SELECT 1")
    assert (result.engine, result.status, result.message) == ("athena-online", "ok", "EXPLAIN ok")
    assert checks("sql/kpi/x.sql", "duckdb", "SELECT 1") == []


def test_validate_online_without_aws_credentials_says_so(tmp_path, monkeypatch):
    from toolkit.errors import MissingCredentials
    from toolkit.sql.validate.online import OnlineChecks

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(MissingCredentials, match="Athena EXPLAIN skipped: no AWS credentials"):
        OnlineChecks(_loaded(tmp_path), ("athena",))
    assert OnlineChecks(_loaded(tmp_path), ("athena",), optional=True).notes == [
        "Athena EXPLAIN skipped: no AWS credentials (environment, ~/.aws or an instance role)"]
