"""The quota project of the BigQuery Connection API, as sent by the real google-cloud-bigquery-connection client to a
local HTTP server: the `x-goog-user-project` header (issue 12 item 6).

User credentials (`gcloud auth application-default login`) have no project of their own, and the Connection API
refuses them without a quota project ("Set the quota project", https://cloud.google.com/docs/quotas/set-quota-project):
ADC's own quota project is used when it has one, else the config's project. Service accounts bill their own project.
"""

from __future__ import annotations

import pytest

from toolkit.config import load_config

from .test_bigquery_cloud_http import CONFIG, CONN, IDENTITY, PROJECT

ROLE = "arn:aws:iam::123456789012:role/fedkit-gold-reader"


def _engine(httpserver, tmp_path, credentials):
    from toolkit.engines.bigquery import BigQueryCloudEngine

    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG)
    return BigQueryCloudEngine(load_config(path), credentials=credentials,
                               client_options={"api_endpoint": httpserver.url_for("").rstrip("/")})


def _header_sent(httpserver, tmp_path, credentials) -> str | None:
    httpserver.expect_request(f"{CONN}/fedkit_gold", method="GET").respond_with_json({
        "name": f"projects/{PROJECT}/locations/aws-us-east-1/connections/fedkit_gold",
        "aws": {"accessRole": {"iamRoleId": ROLE, "identity": IDENTITY}},
    })
    engine = _engine(httpserver, tmp_path, credentials)
    try:
        assert engine.bigquery_identity() == IDENTITY
    finally:
        engine.close()
    (request,) = [r for r, _ in httpserver.log if r.path == f"{CONN}/fedkit_gold"]
    return request.headers.get("x-goog-user-project")


def test_user_credentials_without_a_quota_project_bill_the_config_project(httpserver, tmp_path, monkeypatch):
    from google.oauth2.credentials import Credentials

    monkeypatch.delenv("GOOGLE_CLOUD_QUOTA_PROJECT", raising=False)
    assert _header_sent(httpserver, tmp_path, Credentials(token="user-token")) == PROJECT


def test_the_adc_quota_project_wins(httpserver, tmp_path):
    from google.oauth2.credentials import Credentials

    credentials = Credentials(token="user-token", quota_project_id="billing-project")
    assert _header_sent(httpserver, tmp_path, credentials) == "billing-project"


@pytest.mark.parametrize("kind", ["anonymous", "service_account"])
def test_credentials_with_a_project_of_their_own_send_no_header(httpserver, tmp_path, kind):
    from google.auth.credentials import AnonymousCredentials

    from toolkit.engines.bigquery import quota_project

    if kind == "anonymous":
        assert _header_sent(httpserver, tmp_path, AnonymousCredentials()) is None
    else:
        class ServiceAccountLike:  # google.oauth2.service_account.Credentials without a key to sign with
            quota_project_id = None

        assert quota_project(ServiceAccountLike(), PROJECT) is None
