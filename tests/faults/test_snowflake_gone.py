"""The Snowflake server goes away in the middle of `fedkit apply` (a real process on the sandbox project): fedkit
stops within bounded time with one line naming the step (exit 1, no traceback), and once the server is back a rerun
converges. Today's failure mode without timeouts: the connector retries forever and apply hangs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from proxy import FaultProxy
from plans import is_empty_plan  # tests/faults is on sys.path (its conftest), like proxy.py

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def snowflake_proxy(fakesnow_kwargs):
    with FaultProxy(f"http://127.0.0.1:{fakesnow_kwargs['port']}", lifetime=180) as proxy:
        yield proxy


@pytest.fixture
def project(fault_proxy, snowflake_proxy, sandbox_project, aws):
    """The tiny sandbox project, its recorded fakesnow behind `snowflake_proxy` (moto behind `fault_proxy`)."""
    from toolkit.sandbox.state import read_state, write_state

    def only_facts(local) -> None:
        for entry in local.iterdir():
            if entry.name != "fact_sales":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    loaded = sandbox_project(orders=20, prepare=only_facts)
    state = read_state()
    state["fakesnow"]["port"] = int(snowflake_proxy.endpoint.rsplit(":", 1)[1])
    write_state(state)
    fault_proxy.clear()
    return str(loaded.path)


SHORT_TIMEOUTS = {"FEDKIT_SNOWFLAKE_NETWORK_TIMEOUT": "4", "FEDKIT_SNOWFLAKE_SOCKET_TIMEOUT": "2",
                  "FEDKIT_SNOWFLAKE_LOGIN_TIMEOUT": "4"}


def _fedkit(*args: str, timeout: float) -> subprocess.CompletedProcess:
    """A real process: a hang is caught by `timeout` instead of hanging the test session."""
    env = {**os.environ, **SHORT_TIMEOUTS,
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", "from toolkit.cli import main; main()", *args], cwd=REPO, env=env,
                          text=True, capture_output=True, timeout=timeout)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["drop", "slow"], ids=["connections-reset", "no-answer"])
def test_snowflake_going_away_mid_apply_stops_in_bounded_time_then_rerun_converges(
    cli, fault_proxy, snowflake_proxy, project, how
):
    # Right after the role's trust is tightened (the integration exists by then), Snowflake stops answering.
    fault_proxy.on("iam:UpdateAssumeRolePolicy",
                   lambda: snowflake_proxy.fail("http:*", how, times=10**6, delay=3600))
    started = time.monotonic()
    result = _fedkit("apply", "--yes", "--config", project, timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert "iam:UpdateAssumeRolePolicy" in fault_proxy.actions(), "the apply never reached the trust step"
    assert elapsed < 90
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: observe snowflake_"), result.stderr
    assert "steps done before the failure: " in errors[0] and "trust_policy" in errors[0]
    assert "Traceback" not in result.stderr
    snowflake_proxy.clear()  # the server is back
    rerun = cli("apply", "--yes", "--config", project)
    assert rerun.exit_code == 0, rerun.stderr
    plan = cli("plan", "--output", "json", "--config", project)
    assert plan.exit_code == 0 and is_empty_plan(json.loads(plan.stdout)), plan.stdout + plan.stderr
