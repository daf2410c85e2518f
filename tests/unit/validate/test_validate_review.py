"""Review fixes for `fedkit validate`: which paths count as targets, the schema snapshot, JUnit shape, GitHub
escaping, Omni text rules outside comments, error text with odd paths (pure, no engines)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.sql.ddl import TEMPLATE_DIR
from toolkit.sql.validate import omni, render
from toolkit.sql.validate.files import _second_statement, _strip_where, _line_of, _without_path
from toolkit.sql.validate.model import Report, Result, error
from toolkit.sql.validate.runner import collect_targets, read_catalog_file


# -- targets ------------------------------------------------------------------------------------------------------------
def test_an_empty_folder_is_a_usage_error_not_a_green_run(tmp_path):
    (tmp_path / "kpis").mkdir()
    (tmp_path / "kpis" / "README.md").write_text("no SQL here\n")
    with pytest.raises(UsageError, match="no SQL files in this folder"):
        collect_targets(None, [tmp_path / "kpis"])  # type: ignore[arg-type] - loaded is only read without paths


def test_a_file_that_is_not_sql_is_a_usage_error(tmp_path):
    config = tmp_path / "federation.yaml"
    config.write_text("version: 1\n")
    with pytest.raises(UsageError, match="not a SQL file"):
        collect_targets(None, [config])  # type: ignore[arg-type]


def test_ddl_templates_that_are_not_fedkits_are_named_not_silently_skipped(tmp_path):
    own = TEMPLATE_DIR / "bigquery" / "dataset.sql.j2"
    assert own.is_file()
    copy = tmp_path / "ddl" / "bigquery" / "dataset.sql.j2"
    copy.parent.mkdir(parents=True)
    copy.write_text(own.read_text())
    (tmp_path / "ddl" / "k.sql").write_text("SELECT 1\n")
    with pytest.raises(UsageError, match="not a registration DDL template"):
        collect_targets(None, [copy])  # type: ignore[arg-type]
    targets = collect_targets(None, [tmp_path / "ddl", own])  # type: ignore[arg-type]
    assert targets.ddl_templates == (own.resolve(),)
    assert targets.foreign_templates == (copy.resolve(),)
    assert targets.kpi_files == (tmp_path / "ddl" / "k.sql",)
    with pytest.raises(UsageError, match="nothing to validate"):
        collect_targets(None, [copy.parent])  # type: ignore[arg-type]


# -- schema snapshot ------------------------------------------------------------------------------------------------
def test_catalog_snapshot_round_trips_and_bad_files_say_how_to_write_one(tmp_path):
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.types import LogicalType

    catalog = GoldCatalog((GoldTable("t", "s3://b/gold/t", (Column("a", LogicalType("int64")),)),))
    good = tmp_path / "gold-schema.json"
    good.write_text(json.dumps(catalog.to_json()))
    assert read_catalog_file(good) == catalog
    for name, text, fragment in (("missing.json", None, "cannot read"), ("bad.json", "{", "not JSON"),
                                 ("list.json", "[1]", "not a `fedkit gold schema --output json` document"),
                                 ("empty.json", '{"tables": []}', "no tables")):
        path = tmp_path / name
        if text is not None:
            path.write_text(text)
        with pytest.raises(UsageError, match=fragment) as info:
            read_catalog_file(path)
        assert str(path) in info.value.message


# -- renderers ------------------------------------------------------------------------------------------------------
def _report(notes: tuple[str, ...] = ("took 1.00 s",)) -> Report:
    text = "select\n  bad\x0ccol\nfrom t\n"
    return Report((
        Result("sql/kpi/a.sql", "duckdb", "ok", seconds=0.01),
        error("sql/kpi/b.sql", "bigquery", "Unrecognized name: bad\x0ccol", text, 2, 3, 0.02),
    ), notes=notes)


def test_junit_properties_sit_first_in_each_testsuite_and_control_characters_stay_xml():
    root = ET.fromstring(render.to_junit(_report()))
    assert root.find("properties") is None  # not a child of <testsuites> in the JUnit schema
    for suite in root.findall("testsuite"):
        assert suite[0].tag == "properties"
        assert suite[0][0].attrib == {"name": "note1", "value": "took 1.00 s"}
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "Unrecognized name: bad\ufffdcol"


def test_junit_of_an_empty_report_still_has_a_testsuite():
    root = ET.fromstring(render.to_junit(Report((), notes=("nothing to validate",))))
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("tests") == "0"


def test_github_escapes_newlines_and_property_separators():
    report = Report((error("odd,dir:x/a%b.sql", "bigquery", "first\r\nsecond: 100%", "", 1, 2),))
    line = render.to_github(report).splitlines()[0]
    assert line == ("::error file=odd%2Cdir%3Ax/a%25b.sql,line=1,col=2,title=fedkit validate (bigquery)::"
                    "first%0D%0Asecond: 100%25")


# -- Omni text rules ------------------------------------------------------------------------------------------------
def test_omni_text_rules_ignore_comments_and_keep_positions():
    sql = ("-- calls ML.PREDICT( and LANGUAGE js in a comment\n/* LANGUAGE js */ {# ML.EVALUATE( #}\n"
           "CREATE TEMP FUNCTION f(x INT64) RETURNS INT64 LANGUAGE js AS 'return x';\nSELECT 1")
    problems = omni.text_problems(sql)
    assert [(p.line, p.column) for p in problems] == [(3, 47)]
    assert "JavaScript UDFs" in problems[0].message


# -- error text -----------------------------------------------------------------------------------------------------
def test_loader_messages_lose_a_path_that_holds_colons_and_commas():
    path = Path("odd,dir:x/a%b.sql")
    message = _without_path(f"{path}:1: KPI name 'a%b' is not a plain name", path)
    assert _line_of(message) == 1
    assert _strip_where(message) == "KPI name 'a%b' is not a plain name"
    assert _without_path(f"{path}: cannot read", path) == f"{path}: cannot read"


def test_the_extra_statement_is_pointed_at():
    assert _second_statement("-- c\nCREATE TEMP FUNCTION f() AS (1);\n\n  SELECT f()", "duckdb") == (4, 3)
    assert _second_statement("SELECT 1;", "duckdb") is None
