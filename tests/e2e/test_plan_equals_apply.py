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


def test_plan_text_says_apply_asks_for_every_step(cli, sandbox_project):
    config = str(sandbox_project().path)
    text = cli("plan", "--config", config)
    data = json.loads(cli("plan", "--config", config, "--output", "json").stdout)
    assert f"Plan: " in text.stdout and "known after the connection exists" in text.stdout
    counts = {}
    for action in data["actions"]:
        counts[action["action"]] = counts.get(action["action"], 0) + 1
    assert "Plan: " + ", ".join(f"{n} to {verb}" for verb, n in counts.items()) + "." in text.stdout
