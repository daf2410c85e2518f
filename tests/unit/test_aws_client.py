"""The boto3 client factory turns a missing AWS profile into a set-up error naming it (exit 2), not a traceback."""

from __future__ import annotations

import pytest

from toolkit.errors import MissingCredentials


def test_missing_profile_is_a_usage_error_naming_it(tmp_path, monkeypatch):
    import boto3

    from toolkit.aws import aws_client

    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    with pytest.raises(MissingCredentials) as error:
        aws_client("sts")
    assert error.value.exit_code == 2
    assert error.value.message.startswith("AWS profile 'prod' (AWS_PROFILE) is not in ~/.aws/config")
