"""`s3_filesystem()`: the same endpoint and credentials resolution as `aws_client` (environment, then sandbox)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.gold.storage import resolve_location, s3_filesystem


def _settings(fs) -> dict:
    return fs.__reduce__()[1][0]


def test_endpoint_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5123/")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "token")
    settings = _settings(s3_filesystem("eu-west-1"))
    assert (settings["endpoint_override"], settings["scheme"], settings["region"]) == ("127.0.0.1:5123", "http", "eu-west-1")
    assert (settings["access_key"], settings["session_token"]) == ("key", "token")
    assert not settings["force_virtual_addressing"]  # path style, like aws_client against an endpoint


def test_running_sandbox_supplies_endpoint_and_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    # Auto mode would check that the recorded pid really is a moto server; this test only fakes the state file.
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    import socket

    with socket.socket() as listener:  # the sandbox's moto must answer a connect (a dead one is named instead)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        moto = {"pid": os.getpid(), "host": "127.0.0.1", "port": port, "endpoint": f"http://127.0.0.1:{port}"}
        (tmp_path / "sandbox.json").write_text(json.dumps({"moto": moto}))
        settings = _settings(s3_filesystem())
    assert (settings["endpoint_override"], settings["scheme"]) == (f"127.0.0.1:{port}", "http")
    assert settings["access_key"] == "fedkit-sandbox"
    assert settings["region"] == os.environ.get("AWS_REGION", "us-east-1")


def test_cloud_without_endpoint_talks_https_to_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    settings = _settings(s3_filesystem("us-west-2"))
    assert (settings["endpoint_override"], settings["scheme"], settings["region"]) == ("", "https", "us-west-2")


def test_resolve_location(tmp_path: Path) -> None:
    fs, path = resolve_location(str(tmp_path / "gold") + "/")
    assert path == str(tmp_path / "gold") and fs.type_name == "local"
    with pytest.raises(UsageError, match="needs a bucket"):
        resolve_location("s3://")
    with pytest.raises(UsageError, match="only local paths and s3://"):
        resolve_location("gs://bucket/gold")
