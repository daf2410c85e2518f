"""`fedkit kpi parity` and `fedkit kpi report` end to end on a small sample project."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KPIS = ("revenue_by_category", "monthly_revenue_growth", "median_order_value")


@pytest.fixture(scope="module")
def project(local_gold_project) -> Path:
    return local_gold_project("parity-cli")


def _kpi_args() -> list[str]:
    return [arg for name in KPIS for arg in ("--kpi", name)]


def test_parity_json_shape(cli, project):
    result = cli("kpi", "parity", "-c", str(project), "--sample-rows", "300", "--output", "json", *_kpi_args())
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["results", "keys"]
    assert {"from": "fact_sales.product_id", "to": "dim_product.product_id", "kind": "many-to-one",
            "source": "query"} in data["keys"]  # the sample kept the join key the KPIs state
    assert {(r["kpi"], r["engine"]) for r in data["results"]} == {
        (k, e) for k in KPIS for e in ("bigquery", "snowflake", "duckdb")}
    for row in data["results"]:
        assert list(row) == ["kpi", "engine", "status", "rows", "message"]
        assert row["status"] == "pass" and isinstance(row["rows"], int) and row["rows"] > 0


def test_parity_text_shows_the_matrix_and_the_notes(cli, project):
    result = cli("kpi", "parity", "-c", str(project), "--engines", "duckdb,snowflake", "--kpi", "revenue_by_category")
    assert result.exit_code == 0, result.stderr
    assert "revenue_by_category" in result.stdout and "pass" in result.stdout
    assert "NOT independent" in result.stdout and "2 pass, 0 mismatch, 0 error" in result.stdout


def test_parity_exits_1_on_an_engine_error(cli, project, tmp_path):
    kpi = tmp_path / "last_part.sql"
    kpi.write_text("-- name: last_part\nSELECT MAX(split_part(order_id, '-', -1)) AS m FROM {{ ref('fact_sales') }}\n")
    result = cli("kpi", "parity", "-c", str(project), "--output", "json", str(kpi))
    assert result.exit_code == 1
    statuses = {r["engine"]: r for r in json.loads(result.stdout)["results"]}
    assert statuses["bigquery"]["status"] == "error" and "split_part" in statuses["bigquery"]["message"]
    assert statuses["duckdb"]["status"] == "pass"
    assert "parity failed" in result.stderr and "Traceback" not in result.stderr


def test_parity_exits_1_on_an_empty_kpi_unless_allowed(cli, project, tmp_path):
    """Issue 14.3: a KPI whose filter matches nothing is `empty` (with why), exit 1; --allow-empty accepts it."""
    kpi = tmp_path / "nothing.sql"
    kpi.write_text("-- name: nothing\nSELECT channel, COUNT(*) AS n FROM {{ ref('fact_sales') }} "
                   "WHERE quantity < 0 GROUP BY channel\n")
    result = cli("kpi", "parity", "-c", str(project), "--engines", "duckdb,snowflake", "--output", "json", str(kpi))
    assert result.exit_code == 1, result.stderr
    rows = json.loads(result.stdout)["results"]
    assert {r["status"] for r in rows} == {"empty"}
    assert all("0 rows on every engine" in r["message"] and "quantity < 0" in r["message"] for r in rows)
    text = cli("kpi", "parity", "-c", str(project), "--engines", "duckdb", str(kpi))
    assert text.exit_code == 1 and "EMPTY" in text.stdout and "1 empty" in text.stdout
    allowed = cli("kpi", "parity", "-c", str(project), "--engines", "duckdb,snowflake", "--allow-empty", str(kpi))
    assert allowed.exit_code == 0, allowed.stderr


def test_parity_rejects_an_unknown_engine(cli, project):
    result = cli("kpi", "parity", "-c", str(project), "--engines", "oracle")
    assert result.exit_code == 2 and "oracle" in result.stderr


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, int] = {}
        self.current: str | None = None
        self.matrix_rows = 0
        self.matrix_cells = 0
        self.in_matrix = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and attributes.get("class") == "kpi":
            self.current = attributes["id"]
            self.sections[self.current] = 0
        elif "chart" in (attributes.get("class") or "").split() and self.current:
            self.sections[self.current] += 1
        elif tag == "table" and attributes.get("id") == "parity-matrix":
            self.in_matrix = True
        elif self.in_matrix and tag == "tr":
            self.matrix_rows += 1
        elif self.in_matrix and tag == "td" and "status" in (attributes.get("class") or ""):
            self.matrix_cells += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.current = None
        elif tag == "table":
            self.in_matrix = False


def test_report_writes_one_chart_per_kpi_and_the_matrix(cli, project, tmp_path):
    out = tmp_path / "site" / "kpi.html"
    result = cli("kpi", "report", "-c", str(project), "--html", str(out), "--sample-rows", "300", *_kpi_args())
    assert result.exit_code == 0, result.stderr
    page = _Page()
    page.feed(out.read_text())
    assert page.sections == {f"kpi-{name}": 1 for name in KPIS}
    assert page.matrix_rows == 1 + len(KPIS) and page.matrix_cells == 3 * len(KPIS)
    assert "<script" not in out.read_text() and str(out) in result.stdout


def test_cli_default_sample_matches_the_runner():
    from toolkit.cli import kpi_parity
    from toolkit.sql.parity import runner

    assert kpi_parity.DEFAULT_SAMPLE_ROWS == runner.DEFAULT_SAMPLE_ROWS


def test_importing_the_cli_stays_light():
    import subprocess
    import sys

    code = ("import sys, toolkit.cli.kpi_parity; heavy = [m for m in ('pyarrow', 'duckdb', 'fakesnow', 'zetasql', "
            "'toolkit.sql.parity.runner', 'toolkit.report.build', 'jinja2') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


FAST = "-- name: {name}\nSELECT channel, COUNT(*) AS n FROM {{{{ ref('fact_sales') }}}} GROUP BY channel\n"
SLOW = ("-- name: b_slow\nSELECT COUNT(*) AS n FROM {{ ref('fact_sales') }} AS a CROSS JOIN {{ ref('fact_sales') }} "
        "AS b CROSS JOIN {{ ref('fact_sales') }} AS c CROSS JOIN {{ ref('fact_sales') }} AS d "
        "CROSS JOIN {{ ref('fact_sales') }} AS e WHERE a.quantity + b.quantity + c.quantity + d.quantity > e.quantity\n")


def test_parity_streams_progress_lines_and_stops_a_kpi_past_its_budget(project, tmp_path):
    """Issue 14.5, as `fedkit kpi parity | cat` sees it: progress lines arrive while the run goes on; a KPI that
    runs past `--timeout 1` is `timeout` on every engine, the KPIs after it still run, and the process exits
    promptly (no oracle thread holds it)."""
    import os
    import subprocess
    import sys
    import time

    folder = tmp_path / "kpi"
    folder.mkdir()
    (folder / "a_fast.sql").write_text(FAST.format(name="a_fast"))
    (folder / "b_slow.sql").write_text(SLOW)
    (folder / "c_fast.sql").write_text(FAST.format(name="c_fast"))
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from toolkit.cli import main; main()", "kpi", "parity", "-c", str(project),
         "--sample-rows", "200", "--timeout", "1", "--output", "json", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    first = proc.stderr.readline()
    still_running = proc.poll() is None
    stdout, rest = proc.communicate(timeout=240)
    elapsed = time.perf_counter() - started
    assert still_running, "the first progress line came only at the end"
    # with --output json every stderr line is a JSON object (README "Output for machines")
    lines = [next(iter(json.loads(line).values()))["message"] for line in [first, *rest.splitlines()] if line.strip()]
    assert lines[0].startswith("parity ["), first + rest
    assert any("a_fast bigquery: pass (" in line and " s)" in line for line in lines), rest
    assert any("b_slow snowflake: timeout" in line for line in lines), rest
    assert proc.returncode == 1, rest
    statuses = {(r["kpi"], r["engine"]): r for r in json.loads(stdout)["results"]}
    for engine in ("bigquery", "snowflake", "duckdb"):
        assert statuses[("b_slow", engine)]["status"] == "timeout", statuses[("b_slow", engine)]
        assert statuses[("a_fast", engine)]["status"] == "pass"
        assert statuses[("c_fast", engine)]["status"] == "pass", statuses[("c_fast", engine)]  # oracles recovered
    assert "--timeout" in statuses[("b_slow", "bigquery")]["message"]
    assert elapsed < 120, elapsed
    assert "Traceback" not in rest


def test_cli_default_timeout_matches_the_runner():
    from toolkit.cli import kpi_parity
    from toolkit.sql.parity import runner

    assert kpi_parity.DEFAULT_TIMEOUT == runner.DEFAULT_TIMEOUT
