"""Pure parts of `fedkit validate`: position mapping, Omni rules, report rendering, error text parsing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from toolkit.sql.validate import omni, render
from toolkit.sql.validate.model import Report, Result, error, excerpt
from toolkit.sql.validate.positions import line_col, locate_name, map_position, offset_of, raw_position
from toolkit.sql.zetasql_service import ZetaError

SOURCE = "-- name: k\n\nselect channel,\n  sum(amount) as revenue\nfrom fact_sales\nwhere bogus = 1\ngroup by 1\n"
COMPILED = "SELECT\n  channel,\n  SUM(amount) AS revenue\nFROM `fedkit-demo.gold.fact_sales`\nWHERE\n  bogus = 1\nGROUP BY\n  1"


def test_offsets_round_trip():
    assert line_col(SOURCE, offset_of(SOURCE, 6, 7)) == (6, 7)
    assert SOURCE[offset_of(SOURCE, 6, 7):].startswith("bogus = 1")


def test_map_position_follows_tokens_not_lines():
    assert map_position(COMPILED, "bigquery", SOURCE, "duckdb", 6, 3) == (6, 7)  # `bogus`, re-indented by the printer
    assert map_position(COMPILED, "bigquery", SOURCE, "duckdb", 3, 3) == (4, 3)  # SUM
    # the qualified table name in the compiled text maps to the bare one the user wrote
    assert map_position(COMPILED, "bigquery", SOURCE, "duckdb", 4, 6) == (5, 6)


def test_locate_name_and_raw_columns_under_jinja():
    raw = "select x\nfrom {{ ref('fact_sales') }} as s\nwhere s.nope = 1\n"
    source = "select x\nfrom fact_sales as s\nwhere s.nope = 1\n"
    compiled = "SELECT\n  x\nFROM ANALYTICS.GOLD.FACT_SALES AS s\nWHERE\n  s.nope = 1"
    assert locate_name("NOPE", compiled, "snowflake", source, "duckdb", raw) == (3, 9)
    assert locate_name("fact_sales", compiled, "snowflake", source, "duckdb", raw) == (2, 6)  # the `{{ ref(` itself
    assert raw_position(source, raw, 2, 20, "duckdb") == (2, 33)  # `as` after the ref moves right in the raw line


def test_zeta_error_text_parsing():
    error_ = ZetaError.from_text("[INVALID_ARGUMENT] Unrecognized name: b [at 2:3]")
    assert (error_.message, error_.line, error_.column) == ("Unrecognized name: b", 2, 3)
    multi = ZetaError.from_text("No matching signature for operator /\n  Argument types: INT64, STRING\n"
                                "  Signature: FLOAT64 / FLOAT64 [at 1:8]")
    assert multi.message == "No matching signature for operator /; Argument types: INT64, STRING"
    assert "Signature: FLOAT64 / FLOAT64" in multi.detail and multi.line == 1
    assert ZetaError.from_text("Something without position") == ZetaError("Something without position", None, None,
                                                                             "Something without position")


def test_omni_rules():
    kwargs = dict(project="fedkit-demo", dataset="gold", location="aws-us-east-1")
    assert omni.query_problems("SELECT a FROM `fedkit-demo.gold.t` JOIN gold.u USING (a)", **kwargs) == []
    assert omni.query_problems("WITH x AS (SELECT 1 AS a) SELECT a FROM x", **kwargs) == []
    outside = omni.query_problems("SELECT a FROM `fedkit-demo.gold.t` JOIN `other-proj.gold.t` USING (a)", **kwargs)
    assert len(outside) == 1 and "other-proj.gold.t" in outside[0].message and "cross-location" in outside[0].message
    assert "DML (INSERT)" in omni.query_problems("INSERT INTO gold.t SELECT 1", **kwargs)[0].message
    assert "CREATE TABLE" in omni.query_problems("CREATE TABLE gold.t AS SELECT 1 AS a", **kwargs)[0].message
    ml = omni.query_problems("SELECT * FROM ML.PREDICT(MODEL gold.m, (SELECT 1))", **kwargs)
    assert ml and "BigQuery ML" in ml[0].message and (ml[0].line, ml[0].column) == (1, 15)
    js = omni.query_problems("CREATE TEMP FUNCTION f(x INT64) RETURNS INT64 LANGUAGE js AS 'return x'; SELECT 1",
                             **kwargs)
    assert any("JavaScript" in p.message for p in js)
    assert omni.ddl_problems("CREATE SCHEMA IF NOT EXISTS `gold` OPTIONS (location = 'aws-us-east-1')",
                             location="aws-us-east-1") == []
    assert "not the configured Omni location" in omni.ddl_problems(
        "CREATE SCHEMA `gold` OPTIONS (location = 'US')", location="aws-us-east-1")[0].message
    assert "is not allowed" in omni.ddl_problems("CREATE TABLE gold.t (a INT64)", location="aws-us-east-1")[0].message


def _report() -> Report:
    text = "select\n  bad_col\nfrom t\n"
    return Report((
        Result("sql/kpi/a.sql", "duckdb", "ok", seconds=0.01),
        error("sql/kpi/b.sql", "bigquery", "Unrecognized name: bad_col, really: 100%", text, 2, 3, 0.02),
    ), notes=("BigQuery dry run skipped: no Google credentials",))


def test_excerpt_has_caret_under_the_column():
    assert excerpt("a\n  bad_col\n", 2, 3) == "  bad_col\n  ^"
    assert excerpt("a\n", 5, 1) == ""


def test_json_has_exactly_the_documented_keys():
    data = json.loads(render.to_json(_report()))
    assert list(data) == ["results"]
    assert [list(r) for r in data["results"]] == [["file", "engine", "status", "line", "column", "message"]] * 2
    assert data["results"][1] == {"file": "sql/kpi/b.sql", "engine": "bigquery", "status": "error", "line": 2,
                                  "column": 3, "message": "Unrecognized name: bad_col, really: 100%"}


def test_github_annotations_are_escaped():
    lines = render.to_github(_report()).splitlines()
    assert lines[0] == ("::error file=sql/kpi/b.sql,line=2,col=3,title=fedkit validate (bigquery)::"
                        "Unrecognized name: bad_col, really: 100%25")
    assert lines[1].startswith("::notice title=fedkit validate::BigQuery dry run skipped")
    assert lines[-1] == "fedkit validate: 2 checks over 2 files: 1 passed, 1 failed"


def test_junit_xml_is_well_formed_with_one_suite_per_engine():
    root = ET.fromstring(render.to_junit(_report()))
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "1"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"fedkit validate (duckdb)", "fedkit validate (bigquery)"}
    failure = suites["fedkit validate (bigquery)"].find("testcase/failure")
    assert failure is not None and failure.get("message").startswith("Unrecognized name: bad_col")
    assert failure.text.startswith("sql/kpi/b.sql:2:3: [bigquery]") and failure.text.endswith("  bad_col\n  ^")
