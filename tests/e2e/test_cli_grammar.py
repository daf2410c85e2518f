"""One grammar for every command (issue 15.5), checked on the finished command tree so a new command must follow it:
`--config` and `-C` everywhere, `--engines` (alias `--engine`) wherever engines are taken, `--select` (alias `--kpi`)
wherever KPIs are, flags without a value placeholder, and the old `--target` working with a notice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KPI_DIR = REPO / "sql" / "kpi"
TAKES_KPIS = {"kpi compile", "kpi run", "kpi parity", "kpi report", "validate"}


def _leaves():
    import toolkit.cli

    def walk(command, path):
        children = getattr(command, "commands", None) or {}
        if not children and path:
            yield " ".join(path), command
        for name, child in children.items():
            yield from walk(child, path + [name])

    return dict(walk(toolkit.cli.command(), []))


def _opts(command) -> list[list[str]]:
    return [list(p.opts) + list(p.secondary_opts) for p in command.params]


# Commands that read no project config: `init` writes one, `config schema` prints the model's schema.
READS_NO_CONFIG = {"init", "config schema"}


def test_every_command_takes_config_and_project_dir_after_its_name():
    wanted = {path: ("-C", "--project-dir") if path in READS_NO_CONFIG else ("--config", "-c", "--project-dir", "-C")
              for path in _leaves()}
    missing = {path: [o for o in wanted[path] if not any(o in opts for opts in _opts(command))]
               for path, command in _leaves().items()}
    assert {path: m for path, m in missing.items() if m} == {}


def test_engines_are_one_option_spelled_engines_or_engine():
    takes = {}
    for path, command in _leaves().items():
        for opts in _opts(command):
            if {"--engine", "--engines", "-e"} & set(opts):
                takes[path] = opts
    assert set(takes) >= {"kpi compile", "kpi run", "kpi parity", "kpi report", "validate"}
    assert {p: o for p, o in takes.items() if not {"--engines", "--engine", "-e"} <= set(o)} == {}


def test_kpis_are_selected_with_select_everywhere():
    leaves = _leaves()
    having = {path for path, command in leaves.items() for opts in _opts(command) if "--select" in opts}
    assert having == TAKES_KPIS
    for path in TAKES_KPIS:
        (opts,) = [o for o in _opts(leaves[path]) if "--select" in o]
        assert {"--select", "-s", "--kpi", "-k"} <= set(opts), path


def test_no_help_shows_a_value_placeholder_for_a_flag(cli):
    shown = {}
    for path in [*_leaves(), ""]:
        result = cli(*path.split(), "--help")
        assert result.exit_code == 0, path
        if "<bool>" in result.stdout:
            shown[path or "fedkit"] = [line.strip() for line in result.stdout.splitlines() if "<bool>" in line]
    assert shown == {}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder with a relative config, KPI folder and gold folder (run from elsewhere with -C)."""
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("grammar")
    write_sample(root / "gold", orders=300, seed=5)
    (root / "kpis").mkdir()
    for name in ("revenue_by_brand", "revenue_by_country", "aov_by_channel", "repeat_customer_rate"):
        (root / "kpis" / f"{name}.sql").write_text((KPI_DIR / f"{name}.sql").read_text())
    (root / "config").mkdir()
    (root / "config" / "federation.yaml").write_text(
        "gold:\n  bucket: fedkit-grammar\n  local_dir: gold\n  tables:\n    fact_sales:\n      partition_columns: [order_month]\n"
        "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n"
        "kpi:\n  source_dialect: duckdb\n  paths: [kpis]\n")
    return root


def _tags(name: str) -> set[str]:
    from toolkit.sql.kpi_files import load_kpi_file

    return set(load_kpi_file(KPI_DIR / f"{name}.sql").tags)


def test_project_dir_after_the_command_and_select_by_tag_and_glob(cli, project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # elsewhere: the default config and kpi/gold paths are found from -C
    assert "revenue" in _tags("revenue_by_brand") and "revenue" not in _tags("repeat_customer_rate")
    compiled = cli("kpi", "compile", "-C", str(project), "--select", "tag:revenue", "--engines", "duckdb", "-o", "json")
    assert compiled.exit_code == 0, compiled.stderr
    names = {q["kpi"] for q in json.loads(compiled.stdout)["queries"]}
    assert names == {n for n in ("revenue_by_brand", "revenue_by_country", "aov_by_channel", "repeat_customer_rate")
                     if "revenue" in _tags(n)}
    ran = cli("kpi", "run", "--select", "revenue_by_*", "-C", str(project), "--engine", "duckdb", "-o", "json")
    assert ran.exit_code == 0, ran.stderr
    assert [r["kpi"] for r in json.loads(ran.stdout)["results"]] == ["revenue_by_brand", "revenue_by_country"]


def test_validate_selects_the_same_way(cli, project, monkeypatch):
    monkeypatch.chdir(project)
    result = cli("validate", "--select", "aov_by_channel", "--engines", "duckdb", "-o", "json")
    assert result.exit_code == 0, result.stderr
    files = {Path(r["file"]).name for r in json.loads(result.stdout)["results"]}
    assert files == {"aov_by_channel.sql"}
    typo = cli("validate", "--select", "tag:revnue", "--engines", "duckdb")
    assert typo.exit_code == 2 and "--select tag:revnue: no KPI has this tag" in typo.stderr


def test_target_is_the_deprecated_name_of_clouds(cli, tmp_path):
    config = tmp_path / "federation.yaml"
    config.write_text('gold: {bucket: ok-bucket}\naws: {account_id: "123456789012", region: us-east-1}\n')
    old = cli("plan", "--config", str(config), "--target", "gcp")
    new = cli("plan", "--config", str(config), "--clouds", "gcp")
    assert old.exit_code == new.exit_code == 2
    assert new.stderr.splitlines() == ["error: --clouds: unknown cloud 'gcp'; use one or more of aws, bigquery, snowflake, glue"]
    assert old.stderr.splitlines() == ["warning: --target is deprecated, use --clouds (same values)", *new.stderr.splitlines()]


def test_in_json_mode_the_deprecation_notice_and_the_error_are_json_lines(cli, tmp_path):
    config = tmp_path / "federation.yaml"
    config.write_text('gold: {bucket: ok-bucket}\naws: {account_id: "123456789012", region: us-east-1}\n')
    result = cli("plan", "--config", str(config), "-t", "gcp", "--output", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert [json.loads(line) for line in result.stderr.splitlines()] == [
        {"warning": {"message": "-t is deprecated, use --clouds (same values)"}},
        {"error": {"message": "--clouds: unknown cloud 'gcp'; use one or more of aws, bigquery, snowflake, glue",
                   "file": None, "line": None}}]


def test_in_json_mode_every_stderr_line_is_json(cli, project, monkeypatch):
    """validate's notes, kpi run's warnings: whatever a command prints on stderr is a JSON line with --output json."""
    monkeypatch.chdir(project)
    result = cli("validate", "--select", "aov_by_channel", "--engines", "duckdb", "--output", "json")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert records and all(set(r) <= {"note", "warning", "progress"} for r in records)
    assert any(r.get("note", {}).get("message", "").startswith("--select: 1 KPI(s) selected") for r in records)
