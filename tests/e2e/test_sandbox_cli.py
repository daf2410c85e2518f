"""`fedkit sandbox` from a real shell: the console script, `eval "$(fedkit sandbox env)"`, then plain clients."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

FEDKIT = [sys.executable, "-c", "import sys; sys.argv[0] = 'fedkit'; from toolkit.cli import main; main()"]


def _shell_quote(argv: list[str]) -> str:
    return " ".join("'" + a.replace("'", "'\"'\"'") + "'" for a in argv)


@pytest.fixture
def shell_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SNOWFLAKE_", "FEDKIT_"))}
    env["FEDKIT_HOME"] = str(tmp_path / "home")
    env["AWS_SESSION_TOKEN"] = "a-real-looking-token"  # `env` must unset it
    try:
        yield env
    finally:
        subprocess.run([*FEDKIT, "sandbox", "down"], env=env, cwd=tmp_path, capture_output=True, timeout=60)


def test_eval_sandbox_env_points_boto3_and_fedkit_at_the_sandbox(tmp_path: Path, shell_env: dict[str, str]) -> None:
    fedkit = _shell_quote(FEDKIT)
    client = _shell_quote(
        [
            sys.executable,
            "-c",
            "import json, os, boto3\n"
            "from toolkit.sandbox.state import mode\n"
            "s3 = boto3.client('s3')\n"
            "s3.create_bucket(Bucket='from-the-shell')\n"
            "print(json.dumps({'buckets': [b['Name'] for b in s3.list_buckets()['Buckets']], 'mode': mode(),"
            " 'token': os.environ.get('AWS_SESSION_TOKEN')}))",
        ]
    )
    script = f"""set -e
{fedkit} sandbox up >/dev/null
eval "$({fedkit} sandbox env)"
{client}
{fedkit} sandbox status --output json
"""
    done = subprocess.run(["bash", "-c", script], env=shell_env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    first_line, _, status_json = done.stdout.partition("\n")
    seen = json.loads(first_line)
    assert seen == {"buckets": ["from-the-shell"], "mode": "sandbox", "token": None}
    status = json.loads(status_json)
    assert status["running"] is True
    assert {s["name"] for s in status["services"]} == {"moto", "fakesnow"}

    down = subprocess.run([*FEDKIT, "sandbox", "down"], env=shell_env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert down.returncode == 0
    assert "stopped moto" in down.stdout and "stopped fakesnow" in down.stdout
    again = subprocess.run([*FEDKIT, "sandbox", "status"], env=shell_env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1


def test_sandbox_up_answers_as_the_config_account_so_plan_works_unchanged(
    tmp_path: Path, shell_env: dict[str, str]
) -> None:
    """A project config names its real AWS account; the sandbox must not force moto's default 123456789012 on it."""
    config = tmp_path / "conf" / "federation.yaml"
    config.parent.mkdir()
    config.write_text(
        "gold: {bucket: my-own-gold, prefix: gold/}\n"
        'aws: {account_id: "210987654321", region: eu-west-1, role_name: my-reader}\n'
        "snowflake: {database: MINE}\n"
    )

    def fedkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*FEDKIT, "--config", str(config), *args], env=shell_env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    up = fedkit("sandbox", "up", "--output", "json")
    assert up.returncode == 0, up.stderr[-2000:]
    assert json.loads(up.stdout)["aws_account_id"] == "210987654321"
    plan = fedkit("plan", "--target", "aws", "--output", "json")
    assert plan.returncode == 0, plan.stderr[-2000:]
    resources = [a["resource"] for a in json.loads(plan.stdout)["actions"]]
    assert "iam_role/my-reader" in resources

    other = tmp_path / "other.yaml"
    other.write_text(config.read_text().replace("210987654321", "333333333333"))
    mismatch = subprocess.run([*FEDKIT, "--config", str(other), "plan", "--target", "aws"], env=shell_env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert mismatch.returncode == 2  # config and credentials disagree: a set-up error, nothing was changed
    assert "Traceback" not in mismatch.stderr
    assert "the sandbox answers as AWS account 210987654321, but aws.account_id is 333333333333" in mismatch.stderr
    assert f"fedkit --config {other} sandbox up" in mismatch.stderr
