"""Which cloud am I touching? `plan`/`apply` name the sandbox's servers or the real AWS account (and credentials),
GCP project and Snowflake account, text and JSON; after `sandbox down` the real clouds are named before anything else
and apply asks; an unknown FEDKIT_MODE is exit 2 (issue 12 item 5)."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
import yaml

BUCKET = "fedkit-e2e-gold"
IAM_TARGETS = ["toolkit.iam.role_target:RoleTarget", "toolkit.iam.notification_target:NotificationTarget"]


def write_config(tmp_path, **snowflake) -> str:
    data = {
        "gold": {"bucket": BUCKET, "tables": {"fact_sales": {}}},
        "aws": {"account_id": "123456789012", "region": "us-east-1", "role_name": "fedkit-e2e-reader"},
        "bigquery": {"project": "fedkit-e2e"},
        "snowflake": dict(snowflake),
    }
    path = tmp_path / "federation.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.fixture
def project(aws, cli, tmp_path, monkeypatch):
    """The IAM targets only (engines in cloud mode need Google/Snowflake accounts), a bucket, a fresh FEDKIT_HOME."""
    from toolkit.planning import pipeline

    monkeypatch.setattr(pipeline, "TARGETS", list(IAM_TARGETS))
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "fedkit-home"))
    monkeypatch.delenv("FEDKIT_MODE", raising=False)
    from toolkit.aws import aws_client

    aws_client("s3").create_bucket(Bucket=BUCKET)
    return write_config(tmp_path)


def test_on_the_sandbox_every_cloud_names_its_local_server(project, aws, fakesnow_kwargs, cli, monkeypatch):
    from toolkit.sandbox.state import write_state

    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    write_state({"moto": {"endpoint": aws}, "fakesnow": {"host": "127.0.0.1", "port": fakesnow_kwargs["port"]}})
    moto = urlparse(aws).netloc
    data = json.loads(cli("plan", "--config", project, "--output", "json").stdout)
    targets = data["targets"]
    assert targets["aws"]["text"] == f"sandbox (moto at {moto}), account 123456789012"
    assert targets["aws"]["mode"] == "sandbox" and targets["aws"]["account_id"] == "123456789012"
    assert targets["bigquery"]["text"] == "sandbox (ZetaSQL, no Google call), project fedkit-e2e"
    assert targets["snowflake"]["text"] == f"sandbox (fakesnow at 127.0.0.1:{fakesnow_kwargs['port']})"
    text = cli("plan", "--config", project).stdout
    assert text.startswith("Targets:\n") and f"aws        sandbox (moto at {moto})" in text and "REAL" not in text
    applied = json.loads(cli("apply", "--yes", "--config", project, "--output", "json").stdout)
    assert applied["targets"] == targets and applied["done"]


def test_in_the_cloud_the_account_profile_project_and_snowflake_account(project, aws, cli, tmp_path, monkeypatch):
    import boto3

    credentials = tmp_path / "aws-credentials"
    credentials.write_text("[fedkit-e2e]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_PROFILE", "fedkit-e2e")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # boto3 resolves the profile again, as a new process would
    home = tmp_path / "sf"
    home.mkdir()
    (home / "connections.toml").write_text('[prod]\naccount = "acme-prod"\nuser = "u"\npassword = "never-shown"\n'
                                           '[ci]\naccount = "acme-ci"\nuser = "u"\npassword = "never-shown"\n')
    monkeypatch.setenv("SNOWFLAKE_HOME", str(home))
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    config = write_config(tmp_path, connection_name="prod")

    result = cli("plan", "--config", config, "--output", "json", "--connection", "ci")
    assert result.exit_code == 0, result.stderr
    targets = json.loads(result.stdout)["targets"]
    assert targets["aws"]["text"] == f"AWS account 123456789012 (profile fedkit-e2e) at {aws}"
    assert targets["bigquery"]["text"] == "GCP project fedkit-e2e (real BigQuery, location aws-us-east-1)"
    assert targets["snowflake"]["text"].startswith("Snowflake account acme-ci (connection ci from --connection, ")
    assert targets["snowflake"]["account"] == "acme-ci" and "never-shown" not in result.stdout
    text = cli("plan", "--config", config).stdout
    assert "aws        REAL AWS account 123456789012 (profile fedkit-e2e)" in text
    assert "snowflake  REAL Snowflake account acme-prod (connection prod from snowflake.connection_name" in text


def test_after_sandbox_down_auto_names_the_real_clouds_first_and_apply_asks(project, cli, monkeypatch):
    import sys

    import typer

    from toolkit.sandbox.state import remove_state, write_state

    write_state({"moto": {"pid": 1, "port": 1, "endpoint": "http://127.0.0.1:1"}})  # `sandbox up` ran here ...
    remove_state()  # ... then `sandbox down`: FEDKIT_MODE unset (auto) now means the real clouds
    plan = cli("plan", "--config", project)
    assert plan.exit_code == 0, plan.stderr
    first = plan.stderr.splitlines()[0]
    assert first.startswith("warning: no sandbox runs here any more, but one ran from this project")
    assert "REAL clouds" in first
    assert plan.stdout.startswith("Targets:\n  aws        REAL AWS account 123456789012")

    asked = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(typer, "confirm", lambda text, **k: asked.append(text) or False)
    declined = cli("apply", "--config", project)
    assert declined.exit_code == 1 and "cancelled: nothing changed" in declined.stderr
    assert declined.stderr.startswith("warning: no sandbox runs here any more")
    (question,) = asked
    assert question.startswith("Apply 2 change(s) to the REAL AWS account 123456789012")
    assert len(json.loads(cli("plan", "--config", project, "--output", "json").stdout)["actions"]) == 2  # untouched


@pytest.mark.parametrize("command", [["plan"], ["apply", "--yes"], ["kpi", "run", "--engine", "snowflake"]])
def test_unknown_fedkit_mode_is_exit_2_in_one_line(project, cli, monkeypatch, command):
    monkeypatch.setenv("FEDKIT_MODE", "bogus")
    result = cli(*command, "--config", project)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: FEDKIT_MODE='bogus': unknown mode; use sandbox, cloud or auto (auto, the default: the sandbox when one "
        "is running here, else the cloud)"
    ]
