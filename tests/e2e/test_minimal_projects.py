"""Only `gold` is required: a local-only, Snowflake-only or BigQuery-only project (no aws section, no bucket)
validates, compiles and runs parity; validate says what it skipped instead of failing on the missing IAM role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

KPI = """-- name: revenue_by_month
-- description: revenue per order month
SELECT order_month, SUM(quantity * unit_price) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY order_month
ORDER BY order_month
"""

MINIMAL = {
    "local": "gold:\n  local_dir: data/gold\n",
    "snowflake": "gold:\n  local_dir: data/gold\nsnowflake:\n  database: ANALYTICS\n",
    "bigquery": "gold:\n  local_dir: data/gold\nbigquery:\n  project: my-project\n",
}


@pytest.fixture(scope="module")
def gold(tmp_path_factory) -> Path:
    from toolkit.gold.sample import write_sample

    folder = tmp_path_factory.mktemp("minimal_gold") / "gold"
    write_sample(folder, orders=120)
    return folder


@pytest.fixture(params=sorted(MINIMAL))
def minimal(request, gold, tmp_path, monkeypatch) -> str:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "federation.yaml").write_text(MINIMAL[request.param].replace("data/gold", str(gold)))
    (tmp_path / "sql" / "kpi").mkdir(parents=True)
    (tmp_path / "sql" / "kpi" / "revenue_by_month.sql").write_text(KPI)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / ".fedkit"))
    return request.param


def _engines(kind: str) -> set[str]:
    return {"duckdb"} | ({kind} if kind != "local" else set())


def test_validate_passes_and_says_the_iam_check_was_skipped(cli, minimal):
    result = cli("validate", "--output", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    results = json.loads(result.stdout)["results"]
    assert {r["engine"] for r in results} == _engines(minimal)
    assert all(r["status"] == "ok" for r in results)
    assert "IAM" in result.stderr and "no aws section" in result.stderr
    text = cli("validate")
    assert text.exit_code == 0 and "IAM check skipped" in text.stdout


def test_compile_and_parity_run_without_aws(cli, minimal):
    compiled = cli("kpi", "compile", "--output", "json")
    assert compiled.exit_code == 0, compiled.stdout + compiled.stderr
    parity = cli("kpi", "parity", "--output", "json")
    assert parity.exit_code == 0, parity.stdout + parity.stderr
    assert "revenue_by_month" in parity.stdout
    for engine in _engines(minimal):
        assert engine in parity.stdout


def test_plan_of_a_project_without_aws_has_nothing_to_do_and_says_why(cli, minimal):
    result = cli("plan", "--output", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["actions"] == [] and data["targets"] == {}
    assert any("no aws section" in note for note in data["notes"])
    text = cli("plan")
    assert text.exit_code == 0 and "Nothing to plan" in text.stdout
    assert cli("plan", "--detailed-exitcode").exit_code == 0  # no changes


def test_commands_that_use_s3_say_the_bucket_is_not_set(cli, minimal):
    for args in (("gold", "publish"), ("gold", "schema", "--source", "s3")):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert "gold.bucket: is not set" in result.stderr and "Traceback" not in result.stderr
