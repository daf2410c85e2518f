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


def test_apply_reports_the_storage_integration_validation(cli, sandbox_project, fakesnow_kwargs):
    """SYSTEM$VALIDATE_STORAGE_INTEGRATION after the trust is tightened: the sandbox answers success when the role's
    trust admits the integration's IAM user and external id, failure once it does not."""
    from toolkit.aws import aws_client
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine
    from toolkit.gold.schema import read_catalog
    from toolkit.registration.desired import desired_snowflake

    loaded = sandbox_project()
    applied = cli("apply", "--yes", "--config", str(loaded.path))
    assert applied.exit_code == 0, applied.stderr
    integration = loaded.config.snowflake.integration
    assert f"validated storage integration {integration} can read s3://fedkit-demo-gold/gold/" in applied.stderr

    aws_client("iam").update_assume_role_policy(RoleName="fedkit-gold-reader", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}))
    engine = SnowflakeSandboxEngine(loaded, connect_kwargs=fakesnow_kwargs)
    result = engine.validate_integration(desired_snowflake(loaded, read_catalog(loaded, "s3")))
    assert not result.ok and "read: Access Denied (Status Code: 403; Error Code: AccessDenied)" in result.summary
