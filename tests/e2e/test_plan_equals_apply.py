"""Issue 12 items 1-2: the plan shown is exactly what apply does; saved plans; --detailed-exitcode."""

from __future__ import annotations

import json


def _steps(actions):
    return [(a["target"], a["action"], a["resource"]) for a in actions]


def test_fresh_sandbox_plan_json_lists_every_step_apply_does(cli, sandbox_project):
    loaded = sandbox_project()
    config = str(loaded.path)
    plan = cli("plan", "--config", config, "--output", "json")
    assert plan.exit_code == 0, plan.stderr
    actions = json.loads(plan.stdout)["actions"]
    planned = _steps(actions)
    trust = next(a for a in actions if a["resource"] == "iam_role/fedkit-gold-reader/trust_policy")
    assert "(known after the connection exists)" in trust["detail"] and "(known after the connection exists)" in trust["diff"]
    wiring = next(a for a in actions if a["resource"] == "s3_bucket_notification/fedkit-demo-gold")
    assert "(known after the external tables exist)" in wiring["diff"]
    applied = cli("apply", "--yes", "--config", config, "--output", "json")
    assert applied.exit_code == 0, applied.stderr
    done = _steps(json.loads(applied.stdout)["done"])
    assert planned == done and len(planned) > 20
    assert ("aws", "update", "iam_role/fedkit-gold-reader/trust_policy") in planned
    assert sum(1 for t, a, r in planned if t == "snowflake" and a == "update") >= 1  # the refresh after the wiring


def test_plan_text_counts_every_step_and_shows_the_placeholder(cli, sandbox_project):
    config = str(sandbox_project().path)
    text = cli("plan", "--config", config)
    data = json.loads(cli("plan", "--config", config, "--output", "json").stdout)
    assert "Plan: " in text.stdout and "known after the connection exists" in text.stdout
    counts = {}
    for action in data["actions"]:
        counts[action["action"]] = counts.get(action["action"], 0) + 1
    assert "Plan: " + ", ".join(f"{n} to {verb}" for verb, n in counts.items()) + "." in text.stdout


def _publish_one_more_file(loaded):
    from toolkit.aws import aws_client

    s3 = aws_client("s3")
    key = next(o["Key"] for o in s3.list_objects_v2(Bucket="fedkit-demo-gold", Prefix="gold/dim_region/")["Contents"])
    data = s3.get_object(Bucket="fedkit-demo-gold", Key=key)["Body"].read()
    s3.put_object(Bucket="fedkit-demo-gold", Key=key.rsplit("/", 1)[0] + "/part-extra.parquet", Body=data)


def test_saved_plan_is_applied_exactly(cli, sandbox_project, tmp_path):
    config = str(sandbox_project().path)
    saved = tmp_path / "p.json"
    plan = cli("plan", "--config", config, "--out", str(saved), "--output", "json")
    assert plan.exit_code == 0, plan.stderr
    data = json.loads(saved.read_text())
    assert saved.stat().st_mode & 0o777 == 0o600
    printed = json.loads(plan.stdout)
    assert data["format"] == "fedkit-plan/1" and data["plan"] == {k: v for k, v in printed.items() if k != "targets"}
    assert data["targets"] == printed["targets"]  # the file says which clouds it was made against
    assert data["config"]["digest"].startswith("sha256:") and data["fedkit_version"]
    assert "aws_role/aws_role" in data["observed"] and "engine_tables/bigquery_tables" in data["observed"]

    applied = cli("apply", str(saved), "--output", "json")  # no --yes, no --config: the saved plan says
    assert applied.exit_code == 0, applied.stderr
    assert _steps(json.loads(applied.stdout)["done"]) == _steps(data["plan"]["actions"])
    assert json.loads(cli("plan", "--config", config, "--output", "json").stdout)["actions"] == []
    again = cli("apply", str(saved))  # the clouds changed since: that plan is done
    assert again.exit_code == 2 and "the clouds changed since the plan was made" in again.stderr


def test_saved_plan_is_refused_when_a_file_was_published_since(cli, sandbox_project, tmp_path):
    loaded = sandbox_project()
    config = str(loaded.path)
    saved = tmp_path / "p.json"
    assert cli("plan", "--config", config, "--out", str(saved)).exit_code == 0
    _publish_one_more_file(loaded)
    refused = cli("apply", str(saved), "--output", "json")
    assert refused.exit_code == 2 and "the clouds changed since the plan was made" in refused.stderr
    assert "nothing was changed" in refused.stderr and refused.stdout == ""
    assert len(json.loads(cli("plan", "--config", config, "--output", "json").stdout)["actions"]) > 20


def test_saved_plan_is_refused_when_the_role_was_changed_by_hand(cli, sandbox_project, tmp_path):
    from toolkit.aws import aws_client

    config = str(sandbox_project().path)
    assert cli("apply", "--yes", "--config", config).exit_code == 0
    saved = tmp_path / "p.json"
    assert cli("plan", "--config", config, "--out", str(saved)).exit_code == 0
    aws_client("iam").update_role(RoleName="fedkit-gold-reader", MaxSessionDuration=7200)
    refused = cli("apply", str(saved))
    assert refused.exit_code == 2 and "aws_role" in refused.stderr
    role = aws_client("iam").get_role(RoleName="fedkit-gold-reader")["Role"]
    assert role["MaxSessionDuration"] == 7200  # nothing changed


def test_saved_plan_is_refused_when_the_config_changed(cli, sandbox_project, tmp_path):
    loaded = sandbox_project()
    saved = tmp_path / "p.json"
    assert cli("plan", "--config", str(loaded.path), "--out", str(saved)).exit_code == 0
    loaded.path.write_text(loaded.path.read_text() + "\n# edited\n")
    refused = cli("apply", str(saved))
    assert refused.exit_code == 2 and "changed since the plan was made" in refused.stderr
    not_a_plan = tmp_path / "x.json"
    not_a_plan.write_text("{}")
    assert cli("apply", str(not_a_plan)).exit_code == 2


def test_detailed_exitcode_is_2_with_changes_0_without_1_on_errors(cli, sandbox_project, tmp_path):
    config = str(sandbox_project().path)
    assert cli("plan", "--config", config, "--detailed-exitcode").exit_code == 2
    assert cli("apply", "--yes", "--config", config).exit_code == 0
    assert cli("plan", "--config", config, "--detailed-exitcode", "--output", "json").exit_code == 0
    assert cli("plan", "--config", config).exit_code == 0
    bad = cli("plan", "--config", str(tmp_path / "missing.yaml"), "--detailed-exitcode")
    assert bad.exit_code == 1 and bad.stderr
    assert cli("plan", "--config", config, "--detailed-exitcode", "--no-such-option").exit_code == 1
    assert cli("plan", "--config", str(tmp_path / "missing.yaml")).exit_code == 2  # without it: usual codes


def test_a_saved_plan_waits_for_the_apply_lock_like_any_apply(cli, sandbox_project, tmp_path, monkeypatch):
    import subprocess
    import sys

    config = str(sandbox_project().path)
    saved = tmp_path / "p.json"
    assert cli("plan", "--config", config, "--out", str(saved)).exit_code == 0
    hold = "import time; from toolkit.project_lock import apply_lock\nwith apply_lock():\n    print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("FEDKIT_LOCK_WAIT", "0.5")
        result = cli("apply", str(saved))
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1 and "another `fedkit apply` is running" in result.stderr
    assert cli("apply", str(saved)).exit_code == 0  # still fresh: nothing was changed meanwhile
