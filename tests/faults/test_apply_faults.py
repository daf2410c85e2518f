"""`fedkit apply --yes` (the real CLI path) under injected AWS faults: it either succeeds after botocore's retries or
stops cleanly (exit 1, one line naming the failed step and the steps done); a rerun without faults converges and a
second `fedkit plan` has nothing to do.

IAM and notification steps run on the AWS side alone (fast, ~1 s a case); footer reads run the whole sandbox
project (moto + fakesnow + ZetaSQL) on a tiny gold layer.
"""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from toolkit.planning import pipeline
from plans import is_empty_plan  # tests/faults is on sys.path (its conftest), like proxy.py

ROLE = "fedkit-faults-reader"
BUCKET = "fedkit-faults-gold"
IDENTITIES = [
    "--identity", "bigquery=123456789012345678901",
    "--identity", "snowflake=arn:aws:iam::999988887777:user/sf-abc,AB_SFCRole=1_x=",
    "--identity", "snowflake_channel=arn:aws:sqs:us-east-1:999988887777:sf-snowpipe-AIDA",
]
IAM_TARGETS = ["toolkit.iam.role_target:RoleTarget", "toolkit.iam.notification_target:NotificationTarget"]

# AWS action -> (step fedkit names for it, steps done before it, needs a first apply without identities)
STEPS = {
    "iam:CreateRole": (f"create iam_role/{ROLE}", "none", False),
    "iam:PutRolePolicy": (f"create iam_role_policy/{ROLE}/fedkit-gold-read", f"create iam_role/{ROLE}", False),
    "iam:UpdateAssumeRolePolicy": (f"update iam_role/{ROLE}/trust_policy", "none", True),
    "s3:PutBucketNotificationConfiguration": (f"update s3_bucket_notification/{BUCKET}",
                                              f"update iam_role/{ROLE}/trust_policy", True),
}
# Faults by outcome: 3 attempts in all (FEDKIT_AWS_MAX_ATTEMPTS), so one failure is retried away; a fault on every
# attempt stops the apply. Every fault runs on CreateRole (IAM's query protocol) and on the bucket notification PUT
# (S3's REST API); the other two steps get the idempotency case (lost answer) and a clean stop. ~1-4 s a case.
RETRIED = [("throttle", 1), ("slowdown", 1), ("drop", 1), ("lost", 1), ("slow", 1)]
STOPPED = [("denied", 99), ("throttle", 99)]
CASES = [
    *[("iam:CreateRole", f, n, "retried") for f, n in RETRIED],
    *[("iam:CreateRole", f, n, "stopped") for f, n in STOPPED],
    ("iam:PutRolePolicy", "lost", 1, "retried"),
    ("iam:PutRolePolicy", "denied", 99, "stopped"),
    ("iam:UpdateAssumeRolePolicy", "lost", 1, "retried"),
    ("iam:UpdateAssumeRolePolicy", "throttle", 99, "stopped"),
    *[("s3:PutBucketNotificationConfiguration", f, n, "retried") for f, n in RETRIED],
    ("s3:PutBucketNotificationConfiguration", "denied", 99, "stopped"),
]


@pytest.fixture
def aws_side(fault_proxy, cli, tmp_path, monkeypatch):
    from toolkit.aws import aws_client

    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setenv("FEDKIT_AWS_READ_TIMEOUT", "1")  # a slow answer (2 s) times out, the retry succeeds
    monkeypatch.setattr(pipeline, "TARGETS", list(IAM_TARGETS))
    aws_client("s3").create_bucket(Bucket=BUCKET)
    path = tmp_path / "federation.yaml"
    path.write_text(yaml.safe_dump({
        "gold": {"bucket": BUCKET, "tables": {"fact_sales": {}}},
        "aws": {"account_id": "123456789012", "region": "us-east-1", "role_name": ROLE},
        "bigquery": {"project": "fedkit-faults"},
        "snowflake": {},
    }))
    fault_proxy.clear()
    return str(path)


def _assert_converges(cli, *args: str) -> None:
    rerun = cli("apply", "--yes", *args)
    assert rerun.exit_code == 0, rerun.stderr
    plan = cli("plan", "--output", "json", *args)
    assert plan.exit_code == 0 and is_empty_plan(json.loads(plan.stdout)), plan.stdout + plan.stderr


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize("action, fault, times, outcome", CASES,
                         ids=[f"{a.split(':')[1]}-{f}x{n}" for a, f, n, _ in CASES])
def test_apply_under_a_fault_retries_or_stops_cleanly_then_converges(
    cli, fault_proxy, aws_side, action, fault, times, outcome
):
    step, done_before, prepared = STEPS[action]
    config = ["--config", aws_side]
    if prepared:
        assert cli("apply", "--yes", *config).exit_code == 0  # role and policy exist; the trust still admits nobody
    fault_proxy.fail(action, fault, times=times, delay=2)
    result = cli("apply", "--yes", *config, *IDENTITIES)
    assert fault_proxy.actions(fault)[:1] == [action], "the fault never fired"
    if outcome == "retried":
        assert result.exit_code == 0, result.stderr
        assert f"done {step}" in result.stdout
    else:
        assert result.exit_code == 1, result.stderr
        (line,) = _error_lines(result.stderr)
        assert line.startswith(f"error: {step}: ") and f"steps done before the failure: {done_before};" in line
        assert f"failed {step}" in result.stderr
    fault_proxy.clear()
    _assert_converges(cli, *config, *IDENTITIES)


@pytest.fixture
def tiny_sandbox(fault_proxy, sandbox_project):
    """The sandbox project (moto behind the proxy, fakesnow, ZetaSQL) with only fact_sales, 20 orders."""

    def only_facts(local) -> None:
        for entry in local.iterdir():
            if entry.name != "fact_sales":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    loaded = sandbox_project(orders=20, prepare=only_facts)
    fault_proxy.clear()
    return str(loaded.path)


@pytest.mark.slow
def test_footer_reads_are_retried_through_throttling_drops_and_slow_answers(cli, fault_proxy, tiny_sandbox,
                                                                             monkeypatch):
    monkeypatch.setenv("FEDKIT_AWS_READ_TIMEOUT", "1")
    fault_proxy.fail("s3:ListObjectsV2", "slowdown", times=1)
    fault_proxy.fail("s3:GetObject", "throttle", times=1)
    fault_proxy.fail("s3:GetObject", "drop", times=1)
    fault_proxy.fail("s3:HeadObject", "slow", times=1, delay=2)
    result = cli("apply", "--yes", "--config", tiny_sandbox)
    assert result.exit_code == 0, result.stderr
    assert {"s3:ListObjectsV2", "s3:GetObject"} <= set(fault_proxy.actions("slowdown") + fault_proxy.actions("throttle"))
    assert fault_proxy.actions("drop") == ["s3:GetObject"]
    fault_proxy.clear()
    plan = cli("plan", "--output", "json", "--config", tiny_sandbox)
    assert plan.exit_code == 0 and is_empty_plan(json.loads(plan.stdout)), plan.stdout + plan.stderr


@pytest.mark.slow
def test_footer_read_denied_stops_before_any_change_then_rerun_converges(cli, fault_proxy, tiny_sandbox):
    fault_proxy.fail("s3:GetObject", "denied", times=10_000)
    result = cli("apply", "--yes", "--config", tiny_sandbox)
    assert result.exit_code in (1, 2), result.stderr
    (line,) = _error_lines(result.stderr)
    assert "fact_sales" in line and "ACCESS_DENIED" in line.upper().replace("ACCESSDENIED", "ACCESS_DENIED")
    assert not [a for a in fault_proxy.actions() if a.startswith("iam:Create") or a.startswith("iam:Put")]
    fault_proxy.clear()
    _assert_converges(cli, "--config", tiny_sandbox)
