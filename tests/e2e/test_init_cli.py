"""`fedkit init`: a working project from flags and the user's Parquet, outside fedkit's repository; never
overwrites; `fedkit config schema` prints the schema init writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from toolkit.config import load_config


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder outside the repository with the user's gold Parquet in data/gold."""
    from toolkit.gold.sample import write_sample

    write_sample(tmp_path / "data" / "gold", orders=150, seed=5)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / ".fedkit"))
    return tmp_path


def test_init_from_gold_then_validate_passes(cli, outside: Path) -> None:
    result = cli("init", "--from-gold", "data/gold")
    assert result.exit_code == 0, result.stderr
    loaded = load_config(outside / "config" / "federation.yaml")
    gold = loaded.config.gold
    assert gold.local_dir == "data/gold" and gold.bucket is None
    assert gold.tables["fact_sales"].partition_columns == ["order_month"]  # hive partitions from the folders
    assert set(gold.tables) == {p.name for p in (outside / "data" / "gold").iterdir() if p.is_dir()}
    assert loaded.config.aws is None and loaded.config.bigquery is None and loaded.config.snowflake is None
    for name in (".gitignore", ".github/workflows/fedkit-validate.yml", ".pre-commit-config.yaml", "gold-schema.json",
                 "config/federation.schema.json"):
        assert (outside / name).is_file(), name
    assert ".fedkit/" in (outside / ".gitignore").read_text().splitlines()
    assert len(list((outside / "sql" / "kpi").glob("*.sql"))) == 1
    workflow = yaml.safe_load((outside / ".github/workflows/fedkit-validate.yml").read_text())
    steps = workflow["jobs"]["validate"]["steps"]
    assert any("pip install" in s.get("run", "") and "fedkit-gold" in s["run"] for s in steps)
    hook = yaml.safe_load((outside / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["entry"].startswith("fedkit validate") and hook["pass_filenames"] is False

    validated = cli("validate", "--output", "json")
    assert validated.exit_code == 0, validated.stdout + validated.stderr
    assert all(r["status"] == "ok" for r in json.loads(validated.stdout)["results"])
    # The CI path: no Parquet on the runner, the committed snapshot instead (what the workflow and hook run).
    snapshot = cli("validate", "--catalog", "gold-schema.json", "--output", "json")
    assert snapshot.exit_code == 0, snapshot.stderr


def test_config_holds_only_what_was_given(cli, outside: Path) -> None:
    result = cli("init", "proj", "--bucket", "acme-gold", "--aws-account-id", "123456789012", "--aws-region",
                 "eu-west-1", "--snowflake-connection", "prod")
    assert result.exit_code == 0, result.stderr
    text = (outside / "proj" / "config" / "federation.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["gold"] == {"bucket": "acme-gold"}
    assert data["aws"] == {"account_id": "123456789012", "region": "eu-west-1"}
    assert data["snowflake"] == {"connection_name": "prod"}
    assert "bigquery" not in data and "kpi" not in data
    assert "# bigquery:" in text and "#   project:" in text  # the rest is there, commented out
    assert load_config(outside / "proj" / "config" / "federation.yaml").config.aws.region == "eu-west-1"


def test_init_never_overwrites_and_writes_nothing_when_one_of_its_files_exists(cli, outside: Path) -> None:
    (outside / "config").mkdir()
    (outside / "config" / "federation.yaml").write_text("gold: {}\n")
    result = cli("init", "--from-gold", "data/gold")
    assert result.exit_code == 2
    assert "config/federation.yaml" in result.stderr and "nothing was written" in result.stderr
    assert (outside / "config" / "federation.yaml").read_text() == "gold: {}\n"
    assert sorted(p.name for p in outside.iterdir()) == ["config", "data"]


def test_a_repositorys_own_gitignore_and_pre_commit_are_kept_with_a_note(cli, outside: Path) -> None:
    (outside / ".gitignore").write_text("node_modules/\n")
    (outside / ".pre-commit-config.yaml").write_text("repos: []\n")
    result = cli("init", "--from-gold", "data/gold")
    assert result.exit_code == 0, result.stderr
    assert (outside / ".gitignore").read_text() == "node_modules/\n"
    assert (outside / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert "add the line `.fedkit/`" in result.stderr and "fedkit validate --catalog" in result.stderr
    assert (outside / "config" / "federation.yaml").is_file()


def test_bad_flag_values_are_refused_before_writing(cli, outside: Path) -> None:
    result = cli("init", "--aws-account-id", "12")
    assert result.exit_code == 2 and "aws.account_id" in result.stderr
    assert not (outside / "config").exists()
    result = cli("init", "--from-gold", "no/such/folder")
    assert result.exit_code == 2 and "no/such/folder" in result.stderr


def test_config_schema_prints_the_schema_init_writes(cli, outside: Path) -> None:
    from toolkit.config_schema import json_schema

    printed = cli("config", "schema")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == json.loads(json.dumps(json_schema()))
    assert cli("init").exit_code == 0
    assert (outside / "config" / "federation.schema.json").read_text() == printed.stdout


def test_init_help_has_examples(cli) -> None:
    result = cli("init", "--help")
    assert result.exit_code == 0 and "fedkit init --from-gold data/gold" in result.stdout


def test_validate_without_gold_points_ci_at_a_schema_snapshot(cli, outside: Path) -> None:
    assert cli("init").exit_code == 0
    result = cli("validate")
    assert result.exit_code == 2
    assert "--catalog gold-schema.json" in result.stderr


def test_init_ddl_copies_the_shipped_templates_for_the_team_to_own(cli, outside: Path) -> None:
    from toolkit.sql import ddl

    result = cli("init", "--from-gold", "data/gold", "--ddl")
    assert result.exit_code == 0, result.stderr
    shipped = sorted(p.relative_to(ddl.TEMPLATE_DIR).as_posix() for p in ddl.TEMPLATE_DIR.rglob("*.sql.j2"))
    copied = sorted(p.relative_to(outside / "sql" / "ddl").as_posix() for p in (outside / "sql" / "ddl").rglob("*.sql.j2"))
    assert copied == shipped
    assert ddl.template_file("snowflake", "stage") == outside / "sql" / "ddl" / "snowflake" / "stage.sql.j2"
