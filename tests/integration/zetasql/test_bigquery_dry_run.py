"""`--online` BigQuery dry run: the real google-cloud-bigquery client against a local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def test_dry_run_sends_dry_run_job_and_reads_bytes(httpserver):
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    from toolkit.sql.validate.online import bigquery_dry_run, human_bytes

    sql = "SELECT order_id FROM `fedkit-demo.gold.fact_sales`"
    job = {
        "kind": "bigquery#job",
        "jobReference": {"projectId": "fedkit-demo", "location": "aws-us-east-1"},
        "configuration": {"dryRun": True, "query": {"query": sql, "useLegacySql": False}},
        "status": {"state": "DONE"},
        "statistics": {"totalBytesProcessed": "123456789", "query": {"totalBytesProcessed": "123456789"}},
    }
    httpserver.expect_request("/bigquery/v2/projects/fedkit-demo/jobs", method="POST").respond_with_json(job)
    client = bigquery.Client(
        project="fedkit-demo",
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=httpserver.url_for("").rstrip("/")),
    )
    scanned = bigquery_dry_run(client, sql, "aws-us-east-1")

    assert scanned == 123456789
    assert human_bytes(scanned) == "117.7 MiB"
    (request, _), = httpserver.log
    body = json.loads(request.get_data())
    assert body["configuration"]["dryRun"] is True
    assert body["configuration"]["query"]["query"] == sql
    assert body["configuration"]["query"]["useQueryCache"] is False
    assert body["jobReference"]["location"] == "aws-us-east-1"


def test_online_without_credentials_is_skipped_with_a_note(tmp_path, monkeypatch):
    """With --online-optional an engine without credentials is a note; without it, no engine at all is exit 2."""
    from toolkit.config import load_config
    from toolkit.errors import MissingCredentials
    from toolkit.sql.validate.online import OnlineChecks

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SNOWFLAKE_HOME", str(tmp_path / "snowflake"))
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    for key in ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_HOST"):
        monkeypatch.delenv(key, raising=False)
    import google.auth._default as google_default

    monkeypatch.setattr(google_default, "_get_gce_credentials", lambda *a, **k: (None, None))
    loaded = load_config(REPO / "config" / "federation.yaml")
    with pytest.raises(MissingCredentials) as refused:
        OnlineChecks(loaded, ("bigquery", "snowflake", "duckdb"))
    assert refused.value.exit_code == 2 and "--online-optional" in refused.value.message
    assert "no Google credentials" in refused.value.message and "Snowflake EXPLAIN skipped" in refused.value.message
    checks = OnlineChecks(loaded, ("bigquery", "snowflake", "duckdb"), optional=True)
    assert checks.checkers == {}
    assert any(n.startswith("BigQuery dry run skipped: no Google credentials") for n in checks.notes)
    assert any(n.startswith("Snowflake EXPLAIN skipped:") for n in checks.notes)
    assert checks("f.sql", "bigquery", "SELECT 1") == []


def test_federated_dry_run_is_reported_as_a_lower_bound_not_a_cost(httpserver, monkeypatch):
    """BigQuery documents that "a dry run of a federated query that uses an external table might report a lower bound
    of 0 bytes of data, even if rows are returned" (Introduction to external tables, Limitations; Run a query, Dry
    run). Every gold table fedkit registers is a BigLake/Omni external table, so a dry run's bytes are never the
    cost: `0 B would be processed` must not be printed as if it were."""
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    from toolkit.config import load_config
    from toolkit.sql.validate import online

    job = {
        "kind": "bigquery#job",
        "jobReference": {"projectId": "fedkit-demo", "location": "aws-us-east-1"},
        "status": {"state": "DONE"},
        "statistics": {"totalBytesProcessed": "0", "query": {"totalBytesProcessed": "0"}},
    }
    httpserver.expect_request("/bigquery/v2/projects/fedkit-demo/jobs", method="POST").respond_with_json(job)
    client = bigquery.Client(
        project="fedkit-demo",
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=httpserver.url_for("").rstrip("/")),
    )
    monkeypatch.setattr(online, "bigquery_client", lambda loaded: (client, None))
    monkeypatch.setattr(online, "snowflake_connection", lambda loaded: (None, "skipped"))
    checks = online.OnlineChecks(load_config(REPO / "config" / "federation.yaml"), ("bigquery",))

    (result,) = checks("kpi.sql", "bigquery", "SELECT order_id FROM `fedkit-demo.gold.fact_sales`")

    assert result.ok
    assert "would be processed" not in result.message
    assert "lower bound" in result.message and "external" in result.message
    assert result.message.startswith("dry run ok: at least 0 B")
