"""Ctrl-C during `fedkit apply` (a real process, a real SIGINT): the running cloud call finishes, no other step
starts, the steps done are printed (text and JSON), exit 130; a rerun then converges."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from plans import is_empty_plan  # tests/faults is on sys.path (its conftest), like proxy.py

ROLE = "fedkit-ctrlc-reader"
BUCKET = "fedkit-ctrlc-gold"
REPO = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path) -> str:
    path = tmp_path / "federation.yaml"
    path.write_text(yaml.safe_dump({
        "gold": {"bucket": BUCKET, "tables": {"fact_sales": {}}},
        "aws": {"account_id": "123456789012", "region": "us-east-1", "role_name": ROLE},
        "bigquery": {"project": "fedkit-ctrlc"},
    }))
    return str(path)


def _fedkit(env: dict[str, str], *args: str) -> subprocess.Popen:
    code = "from toolkit.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
@pytest.mark.parametrize("output", ["text", "json"])
def test_ctrl_c_stops_at_the_next_step_boundary_then_rerun_converges(fault_proxy, tmp_path, output):
    from toolkit.aws import aws_client

    aws_client("s3").create_bucket(Bucket=BUCKET)
    config = _config(tmp_path)
    # --target aws: the process runs every registered target; the engines are not configured for the cloud here.
    env = {**os.environ, "FEDKIT_MODE": "cloud", "FEDKIT_AWS_READ_TIMEOUT": "30",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    fault_proxy.fail("iam:CreateRole", "slow", delay=3)  # holds the first change while Ctrl-C arrives
    process = _fedkit(env, "apply", "--yes", "--target", "aws", "--config", config, "--output", output)
    deadline = time.monotonic() + 30
    while "iam:CreateRole" not in fault_proxy.actions() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "iam:CreateRole" in fault_proxy.actions(), "apply never reached CreateRole"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    # The held call completed (the role exists), nothing after it started (no inline policy was written).
    assert fault_proxy.actions().count("iam:PutRolePolicy") == 0
    assert aws_client("iam").get_role(RoleName=ROLE)["Role"]["RoleName"] == ROLE
    if output == "json":  # stderr is JSON lines: the error is {"error": {"message", "file", "line"}}
        errors = [json.loads(line)["error"]["message"] for line in stderr.splitlines() if '"error"' in line]
    else:
        errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "interrupted" in errors[0] and f"steps done: create iam_role/{ROLE}" in errors[0]
    if output == "json":
        data = json.loads(stdout)
        assert data["interrupted"] is True and [a["resource"] for a in data["done"]] == [f"iam_role/{ROLE}"]
    else:
        assert f"done create iam_role/{ROLE}" in stdout
    fault_proxy.clear()
    rerun = _fedkit(env, "apply", "--yes", "--target", "aws", "--config", config)
    assert rerun.wait(timeout=60) == 0, rerun.stderr.read()
    plan = _fedkit(env, "plan", "--target", "aws", "--config", config, "--output", "json")
    assert plan.wait(timeout=60) == 0 and is_empty_plan(json.loads(plan.stdout.read()))


def test_ctrl_c_outside_the_steps_exits_130_not_aborted(cli, tmp_path, monkeypatch):
    """A KeyboardInterrupt that reaches the CLI edge (Ctrl-C while planning, before any change, or a second Ctrl-C)
    is exit 130 too, like a shell reports it, and never a traceback."""
    from toolkit.planning import pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setattr(pipeline, "plan_all", interrupted)
    result = cli("apply", "--yes", "--config", _config(tmp_path))
    assert result.exit_code == 130 and "Traceback" not in result.stderr and result.stdout == ""
