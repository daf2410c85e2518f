"""End to end on the sandbox: `fedkit plan/apply` with a glue: section registers the gold in moto's Glue beside
BigQuery and Snowflake, shows it in the JSON plan, and a second plan is empty."""

from __future__ import annotations

import json


def _plan(cli, loaded, *extra: str) -> list[dict]:
    result = cli("plan", "--config", str(loaded.path), "--output", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["actions"]


def test_apply_registers_the_gold_in_glue_and_converges(cli, sandbox_project):
    from toolkit.aws import aws_client

    loaded = sandbox_project(extra_yaml="glue:\n  database: gold_lake\n")
    glue = [a for a in _plan(cli, loaded) if a["target"] == "glue"]
    resources = [a["resource"] for a in glue]
    assert resources[0] == "glue_database/gold_lake"
    assert "glue_table/gold_lake.fact_sales" in resources and "glue_partitions/gold_lake.fact_sales" in resources
    fact = next(a for a in glue if a["resource"] == "glue_table/gold_lake.fact_sales")
    assert json.loads(fact["diff"])["StorageDescriptor"]["Location"] == "s3://fedkit-demo-gold/gold/fact_sales/"
    assert "moto" in fact["detail"]  # the sandbox says what it emulates

    only_glue = _plan(cli, loaded, "--clouds", "glue")
    assert {a["target"] for a in only_glue} == {"glue"} and len(only_glue) == len(glue)
    assert "glue" not in {a["target"] for a in _plan(cli, loaded, "--target", "aws")}

    applied = cli("apply", "--yes", "--config", str(loaded.path))
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    assert _plan(cli, loaded) == []
    names = {t["Name"] for t in aws_client("glue").get_tables(DatabaseName="gold_lake")["TableList"]}
    assert "fact_sales" in names and "dim_region" in names


def test_a_saved_plan_applies_exactly_its_glue_steps(cli, sandbox_project, tmp_path):
    """`plan --out` then `apply FILE`: the Glue observation digests the same on re-observation, and apply does exactly
    the saved steps (here Glue alone, `--clouds glue`)."""
    loaded = sandbox_project(extra_yaml="glue:\n  database: gold_lake\n")
    saved = tmp_path / "glue.plan.json"
    planned = cli("plan", "--config", str(loaded.path), "--clouds", "glue", "--out", str(saved), "--output", "json")
    assert planned.exit_code == 0, planned.stderr
    shown = [(a["action"], a["resource"]) for a in json.loads(planned.stdout)["actions"]]
    applied = cli("apply", str(saved), "--clouds", "glue", "--output", "json")
    assert applied.exit_code == 0, applied.stderr
    assert [(a["action"], a["resource"]) for a in json.loads(applied.stdout)["done"]] == shown
    assert _plan(cli, loaded, "--clouds", "glue") == []
