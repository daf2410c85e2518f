"""No secret in any output (issue 10, item 11): a whole sandbox run, plus failing cloud commands with --verbose, with
canary credentials in every place fedkit or its SDKs read them; every stdout, stderr and file under .fedkit/ is
searched for them afterwards.

fedkit runs as its own processes (like a user's shell), so log records of botocore, urllib3 and the Snowflake
connector reach stderr the way they do outside pytest.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FEDKIT = [sys.executable, "-c", "import sys; sys.argv[0] = 'fedkit'; from toolkit.cli import main; main()"]
KPI = "sql/kpi/revenue_by_brand.sql"


def _canary(tag: str) -> str:
    return f"CANARY{tag}{secrets.token_hex(12)}"


class Project:
    def __init__(self, root: Path, env: dict[str, str], canaries: list[str]):
        self.root, self.env, self.canaries = root, env, canaries
        self.outputs: list[tuple[str, str]] = []  # (command, stdout + stderr)

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([*FEDKIT, *args], cwd=self.root, env={**self.env, **(env or {})},
                                capture_output=True, text=True, timeout=240)
        self.outputs.append((" ".join(args), result.stdout + result.stderr))
        return result


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    import socket

    root = tmp_path / "project"
    (root / "config").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "config" / "federation.yaml", root / "config" / "federation.yaml")
    shutil.copytree(REPO_ROOT / "sql", root / "sql")
    with socket.socket() as sock:  # a loopback port nobody listens on: the "cloud" endpoints below refuse at once
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]

    c = {name: _canary(name) for name in ("awssecret", "awstoken", "sfenv", "sfpassword", "sfkeypwd", "sftoken",
                                          "gkey", "grefresh", "awsfile")}
    pem_line = "MIIEvQIBADANBgkqhkiG9w0" + c["gkey"]
    secrets_dir = tmp_path / "secrets"
    (secrets_dir / "snowflake").mkdir(parents=True)
    # The config's connection (fedkit_sandbox) is the one a cloud-mode command opens: a dead port, quickly refused.
    (secrets_dir / "snowflake" / "connections.toml").write_text(
        f'[fedkit_sandbox]\naccount = "acme-canary"\nuser = "me"\npassword = "{c["sfpassword"]}"\n'
        f'host = "127.0.0.1"\nport = {dead}\nprotocol = "http"\nlogin_timeout = 5\nnetwork_timeout = 5\n'
        f'[jwt]\naccount = "acme"\nprivate_key_file_pwd = "{c["sfkeypwd"]}"\n'
        f'[oauth]\naccount = "acme"\ntoken = "{c["sftoken"]}"\n')
    os.chmod(secrets_dir / "snowflake" / "connections.toml", 0o600)
    adc = secrets_dir / "service-account.json"
    adc.write_text(json.dumps({
        "type": "service_account", "project_id": "fedkit-demo", "private_key_id": "1",
        "private_key": f"-----BEGIN PRIVATE KEY-----\n{pem_line}\n-----END PRIVATE KEY-----\n",
        "client_email": "reader@fedkit-demo.iam.gserviceaccount.com", "token_uri": f"http://127.0.0.1:{dead}/token"}))
    user_adc = secrets_dir / "gcloud"
    user_adc.mkdir()
    (user_adc / "application_default_credentials.json").write_text(json.dumps(
        {"type": "authorized_user", "refresh_token": c["grefresh"], "client_id": "x", "client_secret": "y" * 8}))
    aws_file = secrets_dir / "aws-credentials"
    aws_file.write_text(f"[default]\naws_access_key_id = AKIACANARY\naws_secret_access_key = {c['awsfile']}\n")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SNOWFLAKE_", "FEDKIT_", "GOOGLE_"))}
    env.update({
        "FEDKIT_HOME": str(root / ".fedkit"),
        "AWS_ACCESS_KEY_ID": "AKIACANARYKEYID", "AWS_SECRET_ACCESS_KEY": c["awssecret"],
        "AWS_SESSION_TOKEN": c["awstoken"], "AWS_SHARED_CREDENTIALS_FILE": str(aws_file),
        "AWS_DEFAULT_REGION": "us-east-1", "SNOWFLAKE_PASSWORD": c["sfenv"],
        "SNOWFLAKE_HOME": str(secrets_dir / "snowflake"), "GOOGLE_APPLICATION_CREDENTIALS": str(adc),
        "CLOUDSDK_CONFIG": str(user_adc), "FEDKIT_NO_COLOR": "1",
    })
    result = Project(root, env, [*c.values(), pem_line])
    result.dead_port = dead  # type: ignore[attr-defined]
    try:
        yield result
    finally:
        subprocess.run([*FEDKIT, "sandbox", "down"], cwd=root, env=env, capture_output=True, timeout=60)


@pytest.mark.slow
def test_no_canary_secret_in_any_output_or_file_of_a_whole_run(project: Project) -> None:
    ok = [
        ("sandbox", "up"),
        ("gold", "sample", "--out", ".fedkit/gold", "--orders", "200"),
        ("gold", "publish", "--create-bucket"),
        ("plan",),
        ("apply", "--yes"),
        ("plan", "--output", "json"),
        ("kpi", "run", KPI, "--engine", "snowflake"),
        ("kpi", "run", KPI, "--engine", "bigquery", "--output", "json"),
        ("validate", KPI),
        ("kpi", "parity", KPI),
        ("sandbox", "status"),
        ("sandbox", "env"),
    ]
    for args in ok:
        result = project.run(*args)
        assert result.returncode == 0, (args, result.stderr[-2000:])
    exports = project.outputs[-1][1]
    # The sandbox servers run without the user's credentials: what they never hold, they cannot log or dump.
    state = json.loads((project.root / ".fedkit" / "sandbox.json").read_text())
    for service in ("moto", "fakesnow"):
        environ = Path(f"/proc/{state[service]['pid']}/environ")
        if environ.exists():  # Linux; elsewhere the logs below are the check
            assert [c for c in project.canaries if c.encode() in environ.read_bytes()] == [], service
    assert "AWS_SECRET_ACCESS_KEY='fedkit-sandbox'" in exports  # the sandbox's public dummy, never the user's key

    # Failing commands in cloud mode with --verbose: errors raised inside boto3 and the Snowflake connector, the
    # connector's and urllib3's retry warnings, and Google credentials that cannot sign anything.
    cloud = {"FEDKIT_MODE": "cloud", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{project.dead_port}",  # type: ignore[attr-defined]
             "FEDKIT_AWS_MAX_ATTEMPTS": "1"}
    failing = [
        ("--verbose", "plan", "--target", "aws"),
        ("--verbose", "gold", "publish"),
        ("--verbose", "kpi", "run", KPI, "--engine", "snowflake"),
        ("--verbose", "kpi", "run", KPI, "--engine", "bigquery"),
        ("--verbose", "validate", KPI, "--online"),
    ]
    for args in failing:
        result = project.run(*args, env=cloud)
        assert result.returncode != 0 or "skipped" in result.stdout + result.stderr, (args, result.stdout[-1000:])
    # An endpoint botocore cannot parse: an unexpected error, so --verbose prints the traceback from inside botocore.
    traceback = project.run("--verbose", "plan", "--target", "aws", env={**cloud, "AWS_ENDPOINT_URL": "http://[bad"})
    assert traceback.returncode == 1 and "Traceback (most recent call last)" in traceback.stderr
    assert "botocore" in traceback.stderr, traceback.stderr[-1000:]
    # The Snowflake failure did go through the connector (the config's connection, the dead port).
    snowflake_out = project.outputs[-4][1]
    assert "acme-canary" in snowflake_out or "127.0.0.1" in snowflake_out, snowflake_out[-1000:]

    leaks = [(command, canary) for command, text in project.outputs for canary in project.canaries if canary in text]
    assert leaks == []
    fedkit_home = project.root / ".fedkit"
    files = [p for p in fedkit_home.rglob("*") if p.is_file()]
    assert any(p.name == "sandbox.json" for p in files) and any(p.suffix == ".log" for p in files)
    in_files = [(str(p.relative_to(fedkit_home)), canary) for p in files for canary in project.canaries
                if canary.encode() in p.read_bytes()]
    assert in_files == []
