"""End to end on the sandbox: with athena: and redshift:, `fedkit apply` creates the Spectrum role (moto IAM) and the
Athena workgroup (moto Athena), says that the external schema step is skipped there (moto runs no SQL), a second plan
is empty, and `fedkit iam generate --check` / `iam lint` know the new files."""

from __future__ import annotations

import json

ENGINES = """\
glue:
  database: gold_lake
athena:
  workgroup: fedkit_kpis
  output_location: s3://fedkit-demo-gold/athena-results/
redshift:
  workgroup: fedkit-wg
"""


def _plan(cli, loaded) -> dict:
    result = cli("plan", "--config", str(loaded.path), "--output", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_apply_wires_spectrum_and_athena_on_the_sandbox_then_converges(cli, sandbox_project):
    from toolkit.aws import aws_client

    loaded = sandbox_project(extra_yaml=ENGINES)
    plan = _plan(cli, loaded)
    resources = [a["resource"] for a in plan["actions"]]
    assert "iam_role/fedkit-gold-reader-spectrum" in resources and "athena_workgroup/fedkit_kpis" in resources
    assert not any(r.startswith("redshift_external_schema/") for r in resources)  # never claimed on the sandbox
    (skipped,) = [w for w in plan["warnings"] if "external schema" in w]
    assert "skipped on the sandbox" in skipped

    applied = cli("apply", "--yes", "--config", str(loaded.path), "--output", "json")
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    done = [a["resource"] for a in json.loads(applied.stdout)["done"]]
    assert not any(r.startswith("redshift_external_schema/") for r in done)
    trust = aws_client("iam").get_role(RoleName="fedkit-gold-reader-spectrum")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "redshift.amazonaws.com"}
    assert aws_client("athena").get_work_group(WorkGroup="fedkit_kpis")["WorkGroup"] is not None
    assert _plan(cli, loaded)["actions"] == []


def test_iam_generate_check_and_lint_know_the_new_files(cli, sandbox_project, tmp_path):
    loaded = sandbox_project(extra_yaml=ENGINES)
    out = tmp_path / "iam"
    generated = cli("iam", "generate", "--config", str(loaded.path), "--out", str(out))
    assert generated.exit_code == 0, generated.stderr
    names = sorted(p.name for p in out.iterdir())
    assert {"athena-query-policy.json", "spectrum-role.json", "spectrum-trust-policy.json",
            "spectrum-read-policy.json"} <= set(names)
    assert cli("iam", "generate", "--check", "--config", str(loaded.path), "--out", str(out)).exit_code == 0
    (out / "spectrum-read-policy.json").unlink()
    stale = cli("iam", "generate", "--check", "--config", str(loaded.path), "--out", str(out))
    assert stale.exit_code == 1 and "spectrum-read-policy.json" in stale.stdout + stale.stderr
    linted = cli("iam", "lint", "--config", str(loaded.path))
    assert linted.exit_code == 0, linted.stdout + linted.stderr


def test_a_saved_plan_applies_exactly_its_spectrum_and_athena_steps(cli, sandbox_project, tmp_path):
    """The new observations digest the same on re-observation, so `apply FILE` runs the saved steps and no others."""
    loaded = sandbox_project(extra_yaml=ENGINES)
    saved = tmp_path / "aws.plan.json"
    planned = cli("plan", "--config", str(loaded.path), "--clouds", "aws", "--out", str(saved), "--output", "json")
    assert planned.exit_code == 0, planned.stderr
    shown = [(a["action"], a["resource"]) for a in json.loads(planned.stdout)["actions"]]
    assert ("create", "athena_workgroup/fedkit_kpis") in shown
    applied = cli("apply", str(saved), "--clouds", "aws", "--output", "json")
    assert applied.exit_code == 0, applied.stderr
    assert [(a["action"], a["resource"]) for a in json.loads(applied.stdout)["done"]] == shown
