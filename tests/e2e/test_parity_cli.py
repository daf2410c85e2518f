"""`fedkit kpi parity` and `fedkit kpi report` end to end on a small sample project."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KPIS = ("revenue_by_category", "monthly_revenue_growth", "median_order_value")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("parity-cli")
    write_sample(root / "gold", orders=400, seed=5)
    config = root / "federation.yaml"
    config.write_text(
        f"version: 1\ngold:\n  bucket: fedkit-parity-cli\n  local_dir: {root / 'gold'}\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
        "bigquery:\n  project: fedkit-demo\n  location: aws-us-east-1\n"
        "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n"
        f"kpi:\n  paths: [{REPO / 'sql' / 'kpi'}]\n"
    )
    return config


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
    kpi = tmp_path / "median_amount.sql"
    kpi.write_text("-- name: median_amount\nSELECT MEDIAN(amount) AS m FROM {{ ref('fact_sales') }}\n")
    result = cli("kpi", "parity", "-c", str(project), "--output", "json", str(kpi))
    assert result.exit_code == 1
    statuses = {r["engine"]: r for r in json.loads(result.stdout)["results"]}
    assert statuses["bigquery"]["status"] == "error" and "MEDIAN" in statuses["bigquery"]["message"]
    assert statuses["duckdb"]["status"] == "pass"
    assert "parity failed" in result.stderr and "Traceback" not in result.stderr


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
        elif tag == "svg" and self.current:
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
            "'toolkit.sql.parity.runner', 'toolkit.sql.report_html') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"
