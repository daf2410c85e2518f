"""Committed IAM files after `apply`: `iam generate --from-live` writes what is deployed, `--check --from-live` says
when the committed files are behind it (exit 1, naming the file and the difference). Against moto."""

from __future__ import annotations

import json

import pytest

from toolkit.iam.policies import render

from .test_plan_apply_cli import BQ_ID, SF, moto_cli, write_config  # noqa: F401  (moto_cli is a fixture)

ROLE = "fedkit-e2e-reader"


@pytest.fixture
def applied(moto_cli, tmp_path):  # noqa: F811
    config = write_config(tmp_path)
    result = moto_cli("apply", "--yes", "--config", config, "--identity", f"bigquery={BQ_ID}", "--identity", SF)
    assert result.exit_code == 0, result.stderr
    return config


def test_check_from_live_names_the_file_behind_then_from_live_refreshes_it(moto_cli, applied, tmp_path):
    from toolkit.aws import aws_client

    out = tmp_path / "iam"
    assert moto_cli("iam", "generate", "--config", applied, "--out", str(out)).exit_code == 0  # placeholders

    behind = moto_cli("iam", "generate", "--check", "--from-live", "--config", applied, "--out", str(out))
    assert behind.exit_code == 1
    (line,) = [x for x in behind.stderr.splitlines() if x.startswith("error:")]
    assert f"trust-policy.json is behind the live role {ROLE}" in line
    assert "<BIGQUERY_CONNECTION_IDENTITY: run fedkit apply>" in line and BQ_ID in line
    assert "run `fedkit iam generate --from-live`" in line
    assert "gold-read-policy.json" not in line and "role.json" not in line  # those agree with what is deployed

    wrote = moto_cli("iam", "generate", "--from-live", "--config", applied, "--out", str(out), "--output", "json")
    assert wrote.exit_code == 0, wrote.stderr
    assert json.loads(wrote.stdout)["written"] == ["trust-policy.json"]
    iam = aws_client("iam")
    live_trust = iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]
    assert (out / "trust-policy.json").read_text() == render(live_trust)
    live_read = iam.get_role_policy(RoleName=ROLE, PolicyName="fedkit-gold-read")["PolicyDocument"]
    assert (out / "gold-read-policy.json").read_text() == render(live_read)
    assert BQ_ID in (out / "trust-policy.json").read_text()

    ok = moto_cli("iam", "generate", "--check", "--from-live", "--config", applied, "--out", str(out), "--output",
                  "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == {"stale": []}


def test_a_change_made_outside_fedkit_shows_in_the_check(moto_cli, applied, tmp_path):
    from toolkit.aws import aws_client

    out = tmp_path / "iam"
    assert moto_cli("iam", "generate", "--from-live", "--config", applied, "--out", str(out)).exit_code == 0
    iam = aws_client("iam")
    trust = iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]
    trust["Statement"].append({"Sid": "OpsBreakGlass", "Effect": "Allow",
                               "Principal": {"AWS": "arn:aws:iam::123456789012:role/ops"}, "Action": "sts:AssumeRole",
                               "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(trust))
    behind = moto_cli("iam", "generate", "--check", "--from-live", "--config", applied, "--out", str(out))
    assert behind.exit_code == 1 and "OpsBreakGlass" in behind.stderr


def test_from_live_without_a_deployed_role_is_a_usage_error(moto_cli, tmp_path):
    config = write_config(tmp_path)
    result = moto_cli("iam", "generate", "--from-live", "--config", config, "--out", str(tmp_path / "iam"))
    assert result.exit_code == 2
    assert f"role {ROLE} does not exist in AWS account 123456789012: run `fedkit apply` first" in result.stderr
    assert not (tmp_path / "iam").exists()
