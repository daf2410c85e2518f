"""The HTML report: self-contained, one chart per KPI chosen from the result's shape, the parity matrix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from toolkit.sql.parity.charts import choose_chart, chart_svg
from toolkit.sql.parity.compare import Comparison
from toolkit.sql.parity.model import EngineResult, KpiRun, OracleInfo, ParityReport
from toolkit.sql.report_html import KpiSection, render_html


class Page(HTMLParser):
    """Counts what the tests look at: <svg> per KPI section, parity cells, external references, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.svgs_by_section: dict[str, int] = {}
        self.section: str | None = None
        self.matrix_cells: list[tuple[str, str]] = []
        self.in_matrix = False
        self.external: list[str] = []
        self.scripts = 0
        self.cell_class: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and "kpi" in (attributes.get("class") or ""):
            self.section = attributes["id"]
            self.svgs_by_section[self.section] = 0
        if tag == "svg" and self.section:
            self.svgs_by_section[self.section] += 1
        if tag == "table" and attributes.get("id") == "parity-matrix":
            self.in_matrix = True
        if tag == "td" and self.in_matrix and "status" in (attributes.get("class") or ""):
            self.cell_class = attributes["class"]
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag == "link":
            self.external.append(str(attributes))

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None
        if tag == "table":
            self.in_matrix = False

    def handle_data(self, data):
        if self.cell_class is not None:
            self.matrix_cells.append((self.cell_class, data))
            self.cell_class = None


def _parity() -> ParityReport:
    report = ParityReport(engines=("bigquery", "snowflake", "duckdb"), reference="source on duckdb", sample="all rows")
    report.oracles = {"bigquery": OracleInfo("bigquery", "ZetaSQL", True),
                      "snowflake": OracleInfo("snowflake", "fakesnow", False),
                      "duckdb": OracleInfo("duckdb", "DuckDB", True)}
    report.kpis = [KpiRun("monthly"), KpiRun("by_category")]
    diff = Comparison("mismatch", "row 1 differs", ("category", "revenue"), (("a", 1.5),), (("a", 0.0),))
    report.results = [
        EngineResult("monthly", "bigquery", "pass", 3), EngineResult("monthly", "snowflake", "pass", 3),
        EngineResult("monthly", "duckdb", "pass", 3),
        EngineResult("by_category", "bigquery", "mismatch", 2, "row 1 differs", diff),
        EngineResult("by_category", "snowflake", "error", None, "Unknown function <IFF>"),
        EngineResult("by_category", "duckdb", "pass", 2),
    ]
    return report


def _sections() -> list[KpiSection]:
    return [
        KpiSection("monthly", "Revenue per month", {"grain": "month", "tags": ["revenue"]}, ("month", "revenue"),
                   ((date(2024, 1, 1), Decimal("10.50")), (date(2024, 2, 1), Decimal("12.25")),
                    (date(2024, 3, 1), None))),
        KpiSection("by_category", "<b>escaped</b>", {}, ("category", "revenue", "orders"),
                   (("a & b", 1.5, 3), (None, 2.0, 1))),
        KpiSection("broken", "fails", {}, error="duckdb: Catalog Error: no table <x>"),
        KpiSection("total", "", {}, ("aov", "orders"), ((Decimal("52.71"), 1379),)),
    ]


def test_one_svg_per_kpi_and_the_matrix():
    page = Page()
    page.feed(render_html(_sections(), _parity()))
    assert page.svgs_by_section == {"kpi-monthly": 1, "kpi-by_category": 1, "kpi-broken": 1, "kpi-total": 1}
    assert page.matrix_cells == [
        ("status pass", "pass"), ("status pass", "pass"), ("status pass", "pass"),
        ("status mismatch", "mismatch"), ("status error", "error"), ("status pass", "pass"),
    ]


def test_self_contained():
    text = render_html(_sections(), _parity())
    page = Page()
    page.feed(text)
    assert page.scripts == 0 and page.external == []
    assert "<style>" in text and "@import" not in text and "url(" not in text


def test_text_is_escaped_and_details_show_both_rows():
    text = render_html(_sections(), _parity())
    assert "<b>escaped</b>" not in text and "&lt;b&gt;escaped&lt;/b&gt;" in text
    assert "a &amp; b" in text and "no table &lt;x&gt;" in text
    assert "by_category on bigquery: mismatch" in text and "Unknown function &lt;IFF&gt;" in text
    assert "<td>reference</td><td>a</td>" in text and "<td>bigquery</td><td>a</td>" in text
    assert "NOT independent" in text  # the notes say which oracle is not independent


@pytest.mark.parametrize(
    ("columns", "rows", "kind"),
    [
        (("month", "revenue"), [(date(2024, 1, 1), 1.0), (date(2024, 2, 1), 2.0)], "line"),
        (("category", "revenue"), [("a", 1.0), ("b", 2.0)], "bar"),
        (("category", "product_id", "revenue"), [("a", 1, Decimal("1.0"))], "bar"),
        (("median", "orders"), [(Decimal("52.7"), 10)], "stat"),
        (("name",), [("a",)], "none"),
        (("a",), [], "none"),
    ],
)
def test_chart_kind_follows_the_shape(columns, rows, kind):
    assert choose_chart(columns, rows).kind == kind


def test_the_plotted_value_skips_ids_ranks_and_counts_stored_as_decimals():
    rows = [("x", 1, 7, Decimal("12"), 0.25)]
    spec = choose_chart(("category", "rank_in_category", "product_id", "cancelled", "rate"), rows)
    assert spec.kind == "bar" and spec.y == 4


def test_line_chart_draws_one_line_per_series():
    rows = [(date(2024, m, 1), c, float(m)) for m in (1, 2, 3) for c in ("web", "app")]
    svg = chart_svg("by channel", ("month", "channel", "revenue"), rows)
    assert svg.count("<polyline") == 2 and svg.startswith("<svg")
