"""`fedkit validate` with athena: and redshift: sections: the suite passes offline on both, an unknown column in a KPI
is reported at its line for Athena and Redshift, and the report says what offline validation cannot check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def aws_project(tmp_path_factory) -> Path:
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("validate_aws")
    write_sample(root / "gold", orders=200)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    text = text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}")
    assert "\nathena:" in text and "\nredshift:" in text  # the example config runs KPIs on both
    config = root / "federation.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def test_kpi_suite_validates_offline_on_athena_and_redshift(cli, aws_project, monkeypatch):
    monkeypatch.chdir(REPO)
    result = cli("validate", "--config", str(aws_project), "--engines", "athena,redshift", "--output", "json",
                 "sql/kpi")
    report = json.loads(result.stdout)
    failed = [r for r in report["results"] if r["status"] != "ok"]
    assert result.exit_code == 0, failed
    assert {r["engine"] for r in report["results"]} == {"athena", "redshift"}
    notes = result.stdout + result.stderr  # notes: JSON lines beside the report
    assert "athena: checked offline" in notes and "not checked" in notes and "--online" in notes


def test_unknown_column_in_an_athena_kpi_is_reported_at_its_line(cli, aws_project, tmp_path):
    kpi = tmp_path / "bad_column.sql"
    kpi.write_text("SELECT\n  channel,\n  SUM(amount) AS revenue,\n  SUM(no_such_column) AS nope\n"
                   "FROM {{ ref('fact_sales') }}\nGROUP BY channel\n", encoding="utf-8")
    result = cli("validate", "--config", str(aws_project), "--engines", "athena,redshift,duckdb", "--output", "json",
                 str(kpi))
    assert result.exit_code == 1
    by_engine = {r["engine"]: r for r in json.loads(result.stdout)["results"]}
    for engine in ("athena", "redshift"):
        found = by_engine[engine]
        assert found["status"] == "error" and found["line"] == 4, found
        assert "no_such_column" in found["message"]
    assert by_engine["duckdb"]["line"] == 4  # the same line the local engine reports


def test_kpi_run_on_the_sandbox_athena_says_it_is_a_standin(cli, aws_project, monkeypatch):
    import toolkit.sandbox.state as state

    monkeypatch.setattr(state, "mode", lambda: "sandbox")
    result = cli("kpi", "run", "--config", str(aws_project), "--engines", "athena,redshift", "--select",
                 "aov_by_channel", "--output", "json")
    assert result.exit_code == 0, result.stderr
    text = result.stdout + result.stderr
    assert "Athena stand-in" in text and "Redshift stand-in" in text and "NOT an independent oracle" in text
