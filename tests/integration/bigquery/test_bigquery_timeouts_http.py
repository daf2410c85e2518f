"""Nothing hangs on Google either: against an endpoint that accepts connections and never answers, every BigQuery
and Connection API call fails within its bounded time (FEDKIT_GOOGLE_TIMEOUT per request, FEDKIT_GOOGLE_RETRY_DEADLINE
over the retries) with one line, instead of the client library's default of no timeout at all."""

from __future__ import annotations

import socket
import time

import pytest

from toolkit.config import load_config
from toolkit.errors import CloudError

CONFIG = """\
version: 1
gold: {bucket: fedkit-demo-gold, prefix: gold/}
aws: {account_id: "123456789012", region: us-east-1, role_name: fedkit-gold-reader}
bigquery: {project: fedkit-demo, location: aws-us-east-1, dataset: gold, connection_id: fedkit_gold}
"""


@pytest.fixture
def silent_engine(tmp_path, monkeypatch):
    """An engine whose endpoints accept TCP connections (the listen backlog) and never send a byte."""
    from google.auth.credentials import AnonymousCredentials

    from toolkit.engines.bigquery import BigQueryCloudEngine

    monkeypatch.setenv("FEDKIT_GOOGLE_TIMEOUT", "0.5")
    monkeypatch.setenv("FEDKIT_GOOGLE_RETRY_DEADLINE", "1.5")
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(64)
        path = tmp_path / "federation.yaml"
        path.write_text(CONFIG)
        endpoint = f"http://127.0.0.1:{hole.getsockname()[1]}"
        engine = BigQueryCloudEngine(load_config(path), credentials=AnonymousCredentials(),
                                     client_options={"api_endpoint": endpoint})
        yield engine
        engine.close()


CALLS = {
    "dataset": lambda e: e.dataset_location("gold"),
    "tables": lambda e: e.observe_tables("gold"),
    "ddl": lambda e: e.execute("CREATE SCHEMA IF NOT EXISTS `gold`"),
    "connection": lambda e: e.get_connection("aws-us-east-1", "fedkit_gold"),
    "create-connection": lambda e: e.create_connection("aws-us-east-1", "fedkit_gold",
                                                       "arn:aws:iam::123456789012:role/r"),
}


@pytest.mark.parametrize("call", list(CALLS), ids=list(CALLS))
def test_a_silent_endpoint_fails_within_bounded_time(silent_engine, call):
    started = time.monotonic()
    with pytest.raises(CloudError) as caught:
        CALLS[call](silent_engine)
    assert time.monotonic() - started < 10
    assert caught.value.message.startswith("BigQuery: ") and "\n" not in caught.value.message
    assert "timed out" in caught.value.message.lower() or "timeout" in caught.value.message.lower()


def test_validate_online_dry_run_is_bounded_too(silent_engine):
    """`fedkit validate --online` makes its own client: its dry runs have the same bounds."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    from toolkit.sql.validate.online import bigquery_dry_run

    endpoint = silent_engine._client_options["api_endpoint"]
    client = bigquery.Client(project="fedkit-demo", credentials=AnonymousCredentials(),
                             client_options={"api_endpoint": endpoint})
    started = time.monotonic()
    with pytest.raises(Exception) as caught:
        bigquery_dry_run(client, "SELECT 1", "aws-us-east-1")
    assert time.monotonic() - started < 10 and "timed out" in str(caught.value).lower()
