"""`--connection NAME` reaches the Snowflake connection lookup of every command that talks to Snowflake (issue 12
item 6): a name that is not in connections.toml is named with where it came from and what the file has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    from toolkit.gold.sample import write_sample

    write_sample(tmp_path / "gold", orders=50)
    home = tmp_path / "sf"
    home.mkdir()
    (home / "connections.toml").write_text('[ci]\naccount = "acme-ci"\nuser = "u"\npassword = "never-shown"\n')
    monkeypatch.setenv("SNOWFLAKE_HOME", str(home))
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "fedkit-home"))
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    config = tmp_path / "federation.yaml"
    config.write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {tmp_path / 'gold'}"), encoding="utf-8")
    monkeypatch.chdir(REPO)
    return config


def test_validate_online_looks_up_the_connection_named_on_the_command_line(cli, project):
    refused = cli("validate", "sql/kpi", "--engines", "snowflake", "--online", "--connection", "nope",
                  "--config", str(project))
    assert refused.exit_code == 2  # --online with no engine checkable online is a credentials error
    assert "Snowflake connection 'nope' (from --connection) not found" in refused.stderr
    result = cli("validate", "sql/kpi", "--engines", "snowflake", "--online", "--online-optional", "--connection",
                 "nope", "--config", str(project), "--output", "json")
    assert result.exit_code == 0, result.stderr  # offline checks pass; the online part says why it was skipped
    notes = [json.loads(line)["note"]["message"] for line in result.stderr.splitlines()]  # JSON lines with -o json
    assert any(n.startswith("Snowflake EXPLAIN skipped: Snowflake connection 'nope' (from --connection) not found")
               for n in notes), notes
    assert "(it has: ci)" in result.stderr and "never-shown" not in result.stderr + result.stdout
    assert json.loads(result.stdout)["results"]


def test_kpi_run_on_snowflake_looks_up_the_connection_named_on_the_command_line(cli, project):
    result = cli("kpi", "run", "--engine", "snowflake", "--kpi", "revenue_by_category", "--connection", "nope",
                 "--config", str(project))
    assert result.exit_code == 2
    assert "Snowflake connection 'nope' (from --connection) not found" in result.stderr


def test_an_empty_connection_name_is_refused(cli, project):
    result = cli("plan", "--connection", "", "--config", str(project))
    assert result.exit_code == 2 and result.stderr.strip().splitlines() == [
        "error: --connection: '' names no connection (leave the option out for the default one)"]
