"""IAM propagation on the sandbox (issue 12 item 4): with FEDKIT_SANDBOX_PROPAGATION_FAULTS=N the first N engine calls
that assume the role answer access denied. apply waits and succeeds when the budget covers them; when it does not,
it stops with a message naming the step, and a rerun (the faults used up meanwhile) converges."""

from __future__ import annotations

import json


def test_apply_waits_for_propagation_and_succeeds(cli, sandbox_project, monkeypatch):
    loaded = sandbox_project()
    monkeypatch.setenv("FEDKIT_SANDBOX_PROPAGATION_FAULTS", "2")
    monkeypatch.setenv("FEDKIT_IAM_PROPAGATION_WAIT", "2")
    applied = cli("apply", "--yes", "--config", str(loaded.path))
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    waits = [line for line in applied.stderr.splitlines() if "waiting for IAM to propagate" in line]
    assert len(waits) == 2 and waits[0].startswith("create bigquery_table/gold.")
    assert "(attempt 1, 0 s so far)" in waits[0] and "(attempt 2, 0 s so far)" in waits[1]
    planned = cli("plan", "--output", "json", "--config", str(loaded.path))
    assert json.loads(planned.stdout)["actions"] == []


def test_a_delay_longer_than_the_budget_stops_naming_the_step_and_a_rerun_converges(cli, sandbox_project, monkeypatch):
    loaded = sandbox_project()
    monkeypatch.setenv("FEDKIT_SANDBOX_PROPAGATION_FAULTS", "5")
    monkeypatch.setenv("FEDKIT_IAM_PROPAGATION_WAIT", "1")  # waits of 0.2 s and 0.4 s: three attempts per step
    first = cli("apply", "--yes", "--config", str(loaded.path))
    assert first.exit_code == 1
    assert "error: create bigquery_table/gold." in first.stderr
    assert "access denied after 3 attempt(s)" in first.stderr and "rerun `fedkit apply`" in first.stderr
    assert "Traceback" not in first.stderr
    rerun = cli("apply", "--yes", "--config", str(loaded.path))
    assert rerun.exit_code == 0, rerun.stderr + rerun.stdout
    assert "waiting for IAM to propagate" in rerun.stderr
    assert json.loads(cli("plan", "--output", "json", "--config", str(loaded.path)).stdout)["actions"] == []
