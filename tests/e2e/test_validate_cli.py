"""`fedkit validate` end to end: the repository's own SQL passes; broken SQL fails with positions in every format."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"


# The KPI engines of the example config (config/federation.yaml): Athena and Redshift through their sections.
EXAMPLE_ENGINES = {"bigquery", "snowflake", "duckdb", "athena", "redshift"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The repository's config with gold.local_dir pointing at freshly generated sample data."""
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("validate_e2e")
    write_sample(root / "gold", orders=200)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    assert "local_dir: .fedkit/gold" in text
    config = root / "federation.yaml"
    config.write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}"), encoding="utf-8")
    return config


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def test_repository_sql_validates(cli, project, in_repo):
    result = cli("validate", "--config", str(project), "--output", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    results = json.loads(result.stdout)["results"]
    kpis = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "sql" / "kpi").glob("*.sql"))
    assert kpis, "the KPI suite exists"
    for kpi in kpis:
        assert {r["engine"] for r in results if r["file"] == kpi} == EXAMPLE_ENGINES
    assert any(r["engine"] == "iam" for r in results)  # generated IAM documents are current
    assert any(r["file"].startswith("sql/ddl/bigquery/") for r in results)  # rendered DDL parses
    assert any(r["file"].startswith("sql/ddl/snowflake/") for r in results)
    assert all(r["status"] == "ok" for r in results)


def test_broken_file_text_output_has_position_and_caret(cli, project, in_repo):
    path = CORPUS / "broken" / "snowflake_iff.sql"
    result = cli("validate", "--config", str(project), str(path))
    assert result.exit_code == 1
    rel = path.relative_to(REPO).as_posix()
    assert f"{rel}:6:3  bigquery  Function not found: IFF" in result.stdout
    assert f"ok    {rel}  snowflake" in result.stdout
    for engine in ("athena", "redshift"):  # their DuckDB stand-ins know no IFF either
        assert f"{rel}:6:3  {engine}  {engine} stand-in (DuckDB): Catalog Error: Scalar Function with name iff" in (
            result.stdout)
    assert "IFF(quantity > 1" in result.stdout
    assert "|   ^" in result.stdout
    assert "5 checks over 1 files: 1 passed, 4 failed" in result.stdout


def test_github_and_junit_outputs(cli, project, in_repo, tmp_path):
    path = CORPUS / "broken" / "unknown_column.sql"
    rel = path.relative_to(REPO).as_posix()
    junit = tmp_path / "reports" / "validate.xml"
    result = cli("validate", "-c", str(project), str(path), "--engines", "bigquery,duckdb", "--output", "github",
                 "--junit-file", str(junit))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f"::error file={rel},line=7,col=7,title=fedkit validate (bigquery)::"
                        "Unrecognized name: amount_usd; Did you mean amount?")
    assert lines[1].startswith(f"::error file={rel},line=7,col=7,title=fedkit validate (duckdb)::Binder Error")
    root = ET.parse(junit).getroot()
    assert root.get("tests") == "2" and root.get("failures") == "2"
    junit_stdout = cli("validate", "-c", str(project), str(path), "--engines", "duckdb", "--output", "junit")
    assert junit_stdout.exit_code == 1
    assert ET.fromstring(junit_stdout.stdout).find("testsuite/testcase/failure") is not None


def test_valid_corpus_and_ddl_template_paths(cli, project, in_repo):
    template = REPO / "sql" / "ddl" / "bigquery" / "external_table.sql.j2"
    result = cli("validate", "-c", str(project), str(CORPUS / "valid"), str(template), "-o", "json")
    assert result.exit_code == 0, result.stdout
    results = json.loads(result.stdout)["results"]
    assert len([r for r in results if r["file"].startswith("tests/corpus/valid/")]) == len(EXAMPLE_ENGINES) * len(
        list((CORPUS / "valid").glob("*.sql")))
    assert [r["engine"] for r in results if r["file"] == "sql/ddl/bigquery/external_table.sql.j2"] == ["bigquery"]


def test_position_is_the_line_before_jinja(cli, project, tmp_path):
    kpi = tmp_path / "kpi" / "weekly.sql"
    kpi.parent.mkdir()
    kpi.write_text(
        "-- name: weekly\n"
        "{# a Jinja comment\n   over two lines #}\n"
        "SELECT channel, SUM(amount) AS revenue\n"
        "FROM {{ ref('fact_sales') }}\n"
        "WHERE chanel = 'web'\n"
        "GROUP BY channel\n",
        encoding="utf-8",
    )
    result = cli("validate", "-c", str(project), str(kpi), "--output", "json")
    assert result.exit_code == 1
    for item in json.loads(result.stdout)["results"]:
        assert (item["line"], item["column"]) == (6, 7), item


def test_usage_errors_exit_2(cli, project, tmp_path):
    assert cli("validate", "-c", str(project), "--engines", "oracle").exit_code == 2
    missing = cli("validate", "-c", str(project), str(tmp_path / "nope.sql"))
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr
    assert cli("validate", "-c", str(tmp_path / "absent.yaml")).exit_code == 2


@pytest.mark.parametrize("value", ["", "   ", " , ,"])
def test_empty_engines_is_a_usage_error_not_the_defaults(cli, project, value):
    """`--engines "$ENGINES"` with the variable unset used to validate every configured engine, silently."""
    result = cli("validate", "-c", str(project), "--engines", value, "--output", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert json.loads(result.stderr) == {"error": {  # --output json: the error is JSON on stderr
        "message": f"--engines: {value!r} names no engine; use one or more of bigquery, snowflake, duckdb, athena, "
                   "redshift, or all "
                   "(or leave the option out for every configured engine)", "file": None, "line": None}}


def test_a_file_that_is_not_utf8_stops_the_run_with_its_line(cli, project, tmp_path):
    """Bad input (exit 2, one line), not a finding repeated per engine with a byte offset; nothing is validated."""
    good = tmp_path / "good.sql"
    good.write_text("SELECT 1 AS x\n")
    bad = tmp_path / "bad.sql"
    bad.write_bytes(b"SELECT 1 AS x\n-- \x93quoted\x94\n")
    result = cli("validate", "-c", str(project), str(good), str(bad), "--output", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert json.loads(result.stderr) == {"error": {  # --output json: the error is JSON on stderr, with its place
        "message": f"{bad}:2: not UTF-8 text (byte 0x93 at column 4); save the file as UTF-8", "file": str(bad),
        "line": 2}}


def test_parallel_workers_give_the_same_results(cli, project, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for path in sorted((CORPUS / "broken").glob("*.sql"))[:4]:
        shutil.copy(path, folder / path.name)
    serial = cli("validate", "-c", str(project), str(folder), "-o", "json", "--jobs", "1")
    parallel = cli("validate", "-c", str(project), str(folder), "-o", "json", "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 1
    assert json.loads(serial.stdout) == json.loads(parallel.stdout)


def test_help_has_an_example(cli):
    result = cli("validate", "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout and "fedkit validate --output github" in result.stdout


def test_a_committed_schema_snapshot_replaces_the_parquet(cli, project, in_repo, tmp_path):
    """CI has no gold Parquet: `fedkit gold schema --output json` written once, `--catalog` reads it."""
    snapshot = cli("gold", "schema", "-c", str(project), "--output", "json")
    assert snapshot.exit_code == 0, snapshot.stderr
    schema_file = tmp_path / "gold-schema.json"
    schema_file.write_text(snapshot.stdout, encoding="utf-8")
    no_parquet = tmp_path / "federation.yaml"
    no_parquet.write_text(project.read_text(encoding="utf-8").replace(
        f"local_dir: {project.parent / 'gold'}", f"local_dir: {tmp_path / 'absent'}"), encoding="utf-8")
    without = cli("validate", "-c", str(no_parquet), str(CORPUS / "valid"))
    assert without.exit_code == 2 and "does not exist" in without.stderr
    broken = CORPUS / "broken" / "unknown_column.sql"
    result = cli("validate", "-c", str(no_parquet), "--catalog", str(schema_file), str(CORPUS / "valid"), str(broken),
                 "-o", "json")
    assert result.exit_code == 1, result.stderr
    results = json.loads(result.stdout)["results"]
    assert all(r["status"] == "ok" for r in results if r["file"].startswith("tests/corpus/valid/"))
    positions = [(r["line"], r["column"]) for r in results if r["file"].endswith("unknown_column.sql")]
    assert positions == [(7, 7)] * len(EXAMPLE_ENGINES)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    refused = cli("validate", "-c", str(no_parquet), "--catalog", str(bad))
    assert refused.exit_code == 2 and "not JSON" in refused.stderr


def test_empty_folder_and_non_sql_file_exit_2(cli, project, tmp_path):
    empty = tmp_path / "kpis"
    empty.mkdir()
    result = cli("validate", "-c", str(project), str(empty))
    assert result.exit_code == 2 and "no SQL files in this folder" in result.stderr
    result = cli("validate", "-c", str(project), str(project))
    assert result.exit_code == 2 and "not a SQL file" in result.stderr


def test_a_missing_configured_kpi_folder_is_a_usage_error(cli, project, tmp_path, monkeypatch):
    """kpi.paths with a typo (or fedkit run from another folder) must not pass CI by validating no KPI at all."""
    config = tmp_path / "federation.yaml"
    config.write_text(project.read_text(encoding="utf-8").replace("paths: [sql/kpi]", "paths: [sql/kpis]"))
    monkeypatch.chdir(REPO)
    result = cli("validate", "--config", str(config))
    assert result.exit_code == 2
    assert f"{REPO / 'sql' / 'kpis'}: no such KPI file or folder (kpi.paths in {config})" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_flexible_column_name_is_a_bigquery_finding_not_a_failed_run(cli, tmp_path, monkeypatch):
    """BigQuery external tables take no flexible column names: a KPI over such a table fails on BigQuery, at its
    ref(), naming the column and the rule, while Snowflake and DuckDB (which quote it exactly) pass; the BigQuery
    table DDL template reports the table it cannot register, and the other tables' DDL is still checked."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.gold.sample import write_sample

    monkeypatch.chdir(tmp_path)
    write_sample(tmp_path / "gold", orders=50)
    (tmp_path / "gold" / "Odd Table").mkdir()
    pq.write_table(pa.table({"Customer Name": ["Ann"], "n": [1]}),
                   tmp_path / "gold" / "Odd Table" / "part-00000.parquet")
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    config = tmp_path / "federation.yaml"
    config.write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {tmp_path / 'gold'}"), encoding="utf-8")
    kpi = tmp_path / "odd.sql"
    kpi.write_text("-- name: odd\nSELECT COUNT(*) AS n\nFROM {{ ref('Odd Table') }}\n", encoding="utf-8")
    templates = [REPO / "sql" / "ddl" / engine / "external_table.sql.j2" for engine in ("bigquery", "snowflake")]
    result = cli("validate", "-c", str(config), str(kpi), *map(str, templates), "-o", "json")
    assert result.exit_code == 1 and result.stdout, result.stdout + result.stderr
    results = {(r["file"], r["engine"]): r for r in json.loads(result.stdout)["results"]}
    bigquery = results[("odd.sql", "bigquery")]
    assert (bigquery["status"], bigquery["line"], bigquery["column"]) == ("error", 3, 6)
    assert bigquery["message"].startswith(
        "table Odd Table: column 'Customer Name' holds ' '; BigQuery external tables take no flexible column names")
    assert bigquery["message"].endswith(
        "; fedkit cannot register this table on BigQuery: rename the column in the Parquet, or leave the bigquery: "
        "section out of the config for this project")
    assert results[("odd.sql", "snowflake")]["status"] == results[("odd.sql", "duckdb")]["status"] == "ok"
    bigquery_ddl = next(r for (file, _), r in results.items() if file.endswith("bigquery/external_table.sql.j2"))
    assert bigquery_ddl["status"] == "error"
    assert bigquery_ddl["message"].startswith("rendered DDL (table/gold.Odd Table): table Odd Table: column")
    assert next(r for (file, _), r in results.items() if file.endswith("snowflake/external_table.sql.j2"))["status"] == "ok"


def test_snowflake_only_project_validates_quoted_column_names(cli, tmp_path, monkeypatch):
    """Names BigQuery cannot read stay valid on Snowflake: a column name holding a single quote is quoted exactly in
    the checker's empty tables (fakesnow could not create it as written: the run ended in "unexpected ProgrammingError")."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    (tmp_path / "gold" / "Odd Table").mkdir(parents=True)
    pq.write_table(pa.table({"Customer's Note": ["vip"], "n": [1]}),
                   tmp_path / "gold" / "Odd Table" / "part-00000.parquet")
    config = tmp_path / "federation.yaml"
    config.write_text(f"version: 1\ngold:\n  bucket: fedkit-demo-gold\n  prefix: gold/\n  local_dir: {tmp_path / 'gold'}\n"
                      "aws:\n  account_id: '123456789012'\n  region: us-east-1\n  role_name: r\n"
                      "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n  integration: I\n  stage: S\n"
                      "kpi:\n  source_dialect: duckdb\n", encoding="utf-8")
    kpi = tmp_path / "odd.sql"
    kpi.write_text("-- name: odd\nSELECT MAX(\"Customer's Note\") AS note, SUM(n) AS s\n"
                   "FROM {{ ref('Odd Table') }}\n", encoding="utf-8")
    result = cli("validate", "-c", str(config), str(kpi), "-o", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    results = json.loads(result.stdout)["results"]
    assert {(r["engine"], r["status"]) for r in results} == {("snowflake", "ok"), ("duckdb", "ok")}


def test_relationships_naming_no_gold_column_fail_validation_at_their_line(cli, project, in_repo, tmp_path):
    """gold.relationships are checked against the gold catalog offline, like the SQL: parity would refuse them."""
    text = project.read_text(encoding="utf-8")
    assert "\ngold:\n" in text
    config = tmp_path / "federation.yaml"
    config.write_text(text.replace("\ngold:\n", "\ngold:\n  relationships:\n"
                                   "    - {from: fact_sales.customer_id, to: dim_customer.customer_id}\n"
                                   "    - {from: fact_sales.customer_id, to: dim_customer.client}\n", 1),
                      encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index(
        "    - {from: fact_sales.customer_id, to: dim_customer.client}") + 1
    result = cli("validate", "--config", str(config), "--output", "json")
    assert result.exit_code == 1, result.stdout + result.stderr
    failed = [r for r in json.loads(result.stdout)["results"] if r["status"] != "ok"]
    assert [(r["engine"], r["line"]) for r in failed] == [("config", line)]
    assert failed[0]["message"].startswith("gold.relationships.1.to: table dim_customer has no column 'client'")
