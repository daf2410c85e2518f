"""How plan/apply name the AWS credentials they use (botocore's own record of where it found them; no call)."""

from __future__ import annotations

import pytest

from toolkit.planning.where import aws_credential_source


@pytest.fixture
def fresh_session(monkeypatch, tmp_path):
    import boto3

    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)

    def make() -> None:
        monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
        boto3.setup_default_session()

    return make


def test_keys_in_the_environment(fresh_session, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    fresh_session()
    assert aws_credential_source() == "credentials from AWS_ACCESS_KEY_ID"


def test_a_named_profile(fresh_session, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "credentials").write_text("[analytics]\naws_access_key_id = a\naws_secret_access_key = b\n")
    monkeypatch.setenv("AWS_PROFILE", "analytics")
    fresh_session()
    assert aws_credential_source() == "profile analytics"
