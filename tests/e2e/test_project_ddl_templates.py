"""The user's files, not fedkit's: a project's `sql/ddl/<engine>/<name>.sql.j2` wins over fedkit's packaged template,
`validate` names the file it used, and a packaged template is never shown as a path inside the installed package."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit.sql import ddl

CONFIG = """gold:
  bucket: acme-gold
  local_dir: {gold}
aws:
  account_id: "123456789012"
  region: us-east-1
bigquery:
  project: my-project
snowflake:
  database: ANALYTICS
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fedkit's templates as a wheel installs them (under site-packages), a project folder elsewhere."""
    from toolkit.gold.sample import write_sample

    packaged = tmp_path / "venv" / "lib" / "site-packages" / "toolkit" / "ddl_templates"
    shutil.copytree(ddl.TEMPLATE_DIR, packaged)
    monkeypatch.setattr(ddl, "TEMPLATE_DIR", packaged)
    ddl.environment.cache_clear()
    project = tmp_path / "project"
    write_sample(project / "data" / "gold", orders=100)
    (project / "config").mkdir()
    (project / "config" / "federation.yaml").write_text(CONFIG.format(gold="data/gold"))
    (project / "sql" / "kpi").mkdir(parents=True)
    monkeypatch.chdir(project)
    monkeypatch.setenv("FEDKIT_HOME", str(project / ".fedkit"))
    yield project
    ddl.environment.cache_clear()


def test_packaged_templates_are_named_without_their_install_path(cli, installed: Path) -> None:
    assert cli("iam", "generate").exit_code == 0
    result = cli("validate", "--output", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    files = {r["file"] for r in json.loads(result.stdout)["results"] if r["engine"] in ("bigquery", "snowflake")}
    assert "fedkit:ddl/bigquery/external_table.sql.j2" in files
    assert "site-packages" not in result.stdout + result.stderr


def test_a_project_template_wins_and_validate_names_it(cli, installed: Path) -> None:
    own = installed / "sql" / "ddl" / "bigquery" / "dataset.sql.j2"
    own.parent.mkdir(parents=True)
    packaged = (ddl.TEMPLATE_DIR / "bigquery" / "dataset.sql.j2").read_text()
    own.write_text("{# our team's dataset template #}\n" + packaged.replace("CREATE SCHEMA", "CREATE SCHEM"))
    assert ddl.template_file("bigquery", "dataset") == installed / "sql/ddl/bigquery/dataset.sql.j2"
    assert cli("iam", "generate").exit_code == 0
    result = cli("validate", "--output", "json")
    assert result.exit_code == 1  # the project's (broken) template was the one rendered and parsed
    failed = [r for r in json.loads(result.stdout)["results"] if r["status"] != "ok"]
    assert [r["file"] for r in failed] == ["sql/ddl/bigquery/dataset.sql.j2"]
    assert failed[0]["line"] >= 2  # a line of the project's file, which has one more line than fedkit's
    assert "site-packages" not in result.stdout + result.stderr
    own.write_text("{# our team's dataset template #}\n" + packaged)
    again = cli("validate", "--output", "json")
    assert again.exit_code == 0, [r["message"] for r in json.loads(again.stdout)["results"] if r["status"] != "ok"]
