"""The HTML report page: self-contained, one chart per KPI, the parity matrix, every status, differing cells."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

from toolkit.report.chart_spec import choose_chart
from toolkit.report.charts import build_chart
from toolkit.report.page import KpiSection, render_html
from toolkit.sql.parity.compare import Comparison
from toolkit.sql.parity.model import EngineResult, KpiRun, OracleInfo, ParityReport


class Page(HTMLParser):
    """Counts what the tests look at: charts per KPI section, parity cells, external references, scripts."""

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
        if "chart" in (attributes.get("class") or "").split() and self.section:
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


def test_one_chart_per_kpi_and_the_matrix():
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
    assert '<span class="status mismatch">mismatch</span> by_category on bigquery' in text
    assert "Unknown function &lt;IFF&gt;" in text
    assert "<td>reference</td><td>a</td>" in text and "<td>bigquery</td><td>a</td>" in text
    assert "<style>" in text and "<script" not in text
    assert "NOT independent" in text  # the notes say which oracle is not independent


def test_line_chart_draws_one_line_per_series():
    rows = [(date(2024, m, 1), c, float(m)) for m in (1, 2, 3) for c in ("web", "app")]
    columns = ("month", "channel", "revenue")
    chart = build_chart("by channel", columns, rows, choose_chart(columns, rows))
    assert [s.name for s in chart.series] == ["web", "app"] and all(len(s.points) == 3 for s in chart.series)
    assert [label for _, label, _ in chart.x_labels] == ["Jan 2024", "Feb 2024", "Mar 2024"]


def test_gridlines_span_every_point():
    rows = [(date(2024, m, 1), value) for m, value in ((1, 242.39), (2, 5497.64), (3, 1025.6))]
    chart = build_chart("monthly", ("month", "revenue"), rows, choose_chart(("month", "revenue"), rows))
    lines = [y for y, _ in chart.grid]
    points = [y for _, y, _ in chart.series[0].points]
    assert min(lines) <= min(points) and max(points) <= max(lines)  # no point above the top line or below the last
    assert [text for _, text in chart.grid] == ["0", "2k", "4k", "6k"]


def test_a_long_monthly_axis_labels_whole_years():
    rows = [(date(2022 + m // 12, m % 12 + 1, 1), float(m)) for m in range(36)]
    chart = build_chart("monthly", ("month", "revenue"), rows, choose_chart(("month", "revenue"), rows))
    assert [label for _, label, _ in chart.x_labels] == ["Jan 2022", "Jan 2023", "Jan 2024", "Dec 2024"]


def test_every_parity_status_shows_with_its_style_and_unknown_ones_still_show():
    report = _parity()
    report.kpis.append(KpiRun("later"))
    report.results += [EngineResult("later", "bigquery", "empty", 0, "no rows on any engine"),
                       EngineResult("later", "snowflake", "timeout", None, "past the 60 s budget"),
                       EngineResult("later", "duckdb", "type-mismatch", 2, "revenue: DOUBLE vs DECIMAL(18,2)")]
    page = Page()
    page.feed(render_html(_sections(), report))
    assert page.matrix_cells[-3:] == [("status empty", "empty"), ("status timeout", "timeout"),
                                      ("status type-mismatch", "type-mismatch")]
    report.results[-1] = EngineResult("later", "duckdb", "Flaky Thing", 2, "new status")
    page = Page()
    page.feed(render_html(_sections(), report))
    assert page.matrix_cells[-1] == ("status other flaky-thing", "Flaky Thing")


def test_differing_cells_are_marked_in_the_side_by_side_rows():
    text = render_html(_sections(), _parity())
    assert '<tr class="reference"><td>reference</td><td>a</td><td class="differs">1.5</td></tr>' in text
    assert '<tr class="engine"><td>bigquery</td><td>a</td><td class="differs">0</td></tr>' in text


def test_the_project_folder_never_appears_in_the_page(tmp_path):
    report = _parity()
    report.results[4] = EngineResult("by_category", "snowflake", "error", None,
                                     f"cannot read {tmp_path}/gold/fact_sales/part-0.parquet")
    sections = [KpiSection("broken", error=f"duckdb: IO Error: {tmp_path}/gold/x.parquet missing")]
    text = render_html(sections, report, subtitle=f"from {tmp_path}/federation.yaml", root=tmp_path)
    assert str(tmp_path) not in text
    assert "gold/fact_sales/part-0.parquet" in text and "gold/x.parquet missing" in text


def test_only_whole_folders_are_taken_out_of_paths(tmp_path, monkeypatch):
    from toolkit.report.page import without_root

    monkeypatch.setenv("HOME", "/home/ana")
    root = tmp_path / "proj"
    text = f"{root}/gold/a.parquet; {root}; {tmp_path}/project2/b; /home/ana/data/c.csv; /home/anabel/x"
    assert without_root(text, root) == f"gold/a.parquet; .; {tmp_path}/project2/b; ~/data/c.csv; /home/anabel/x"


def test_midnight_timestamps_print_as_dates_and_ids_without_separators():
    from datetime import datetime, timezone

    rows = ((datetime(2024, 1, 1, tzinfo=timezone.utc), 12345, Decimal("10.00")),
            (datetime(2024, 2, 1, tzinfo=timezone.utc), 12346, Decimal("12.50")))
    text = render_html([KpiSection("s", columns=("month", "store_id", "revenue"), rows=rows)], None)
    assert "00:00:00" not in text and "+00:00" not in text and ">2024-01-01<" in text
    assert ">12345<" in text and "12,345" not in text


def test_the_chart_declares_the_column_it_plots():
    from toolkit.report.chart_spec import Declared

    rows = (("app", 115, Decimal("23600.66"), 205.22), ("web", 46, Decimal("10921.85"), 237.43))
    section = KpiSection("aov", columns=("channel", "orders", "revenue", "aov"), rows=rows,
                         declared=Declared(y="aov", format="currency"))
    text = render_html([section], None)
    assert 'data-chart="bar" data-x="channel" data-y="aov" data-format="currency" data-declared="yes"' in text
    assert ">205.22</text>" in text and ">23,600.66</text>" not in text  # the bars carry aov, not revenue
