"""The shipped suite's HTML report in a real browser (headless Chromium over the DevTools protocol), at a desktop
(1400 px) and a phone (390 px) width, light and dark: no horizontal overflow, chart text at least 11 px as rendered,
each chart plotting the column its KPI header declares. Screenshots go to reports/ for a person to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from chromium import Browser, chromium_path  # tests/browser is on sys.path (its conftest)

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO / "reports"
WIDTHS = (1400, 390)
SCHEMES = ("light", "dark")
MIN_TEXT_PX = 11.0

# What the test reads from the rendered page. Text sizes are the computed font size times the scale the SVG is
# drawn at on screen (a chart scaled down to fit a phone shrinks its text with it).
PROBE = r"""
(() => {
  const doc = document.documentElement;
  const charts = [...document.querySelectorAll('section.kpi .chart')].map(chart => {
    const box = chart.getBoundingClientRect();
    const svg = chart instanceof SVGElement;
    const nodes = svg ? [...chart.querySelectorAll('text')] : [chart, ...chart.querySelectorAll('*')];
    const texts = nodes.filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
      .map(el => {
        const r = el.getBoundingClientRect();
        const scale = el.getScreenCTM ? Math.abs(el.getScreenCTM().a) : 1;
        return {text: el.textContent.trim().slice(0, 40), px: parseFloat(getComputedStyle(el).fontSize) * scale,
                left: r.left, right: r.right};
      });
    const table = chart.closest('section').querySelector('table');
    let column = null;
    if (table && chart.dataset.y) {
      const heads = [...table.tHead.rows[0].cells].map(c => c.textContent);
      const index = heads.indexOf(chart.dataset.y);
      if (index >= 0) column = [...table.tBodies[0].rows].map(r => r.cells[index].textContent);
    }
    const values = [...chart.querySelectorAll('text.value, .tile.main .big')].map(e => e.textContent);
    return {kpi: chart.dataset.kpi, kind: chart.dataset.chart, x: chart.dataset.x, y: chart.dataset.y,
            left: box.left, right: box.right, texts, values, column};
  });
  const matrix = document.querySelector('#parity-matrix').parentElement;
  return {scrollWidth: doc.scrollWidth, width: window.innerWidth, charts,
          matrix: [matrix.scrollWidth, matrix.clientWidth],
          background: getComputedStyle(document.body).backgroundColor};
})()
"""

PRINT_PROBE = r"""
({nav: getComputedStyle(document.querySelector('nav')).display,
  head: getComputedStyle(document.querySelector('th')).backgroundColor,
  background: getComputedStyle(document.body).backgroundColor,
  sections: [...document.querySelectorAll('section')].map(s => getComputedStyle(s).breakInside)})
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = ("headless Chromium is needed for the report's browser test and is not installed: "
                   "apt-get install -y --no-install-recommends chromium (.ci/run installs it)")
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)  # CI must run this test, never skip it
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def shipped_report(local_gold_project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`fedkit kpi report --html` of the shipped suite (sql/kpi) over a small generated gold data set."""
    from toolkit.cli import run

    out = tmp_path_factory.mktemp("report-browser") / "kpi-report.html"
    config = local_gold_project("report-browser")
    assert run(["kpi", "report", "-c", str(config), "--html", str(out), "--sample-rows", "300"]) == 0
    REPORTS.mkdir(exist_ok=True)
    shutil.copyfile(out, REPORTS / "kpi-report.html")
    return out


@pytest.fixture(scope="module")
def rendered(chromium: str, shipped_report: Path) -> dict:
    """The probe's answer per (width, scheme), each with its full-page screenshot written under reports/."""
    browser = Browser(chromium)
    pages = {}
    try:
        for width in WIDTHS:
            for scheme in SCHEMES:
                browser.open(shipped_report.as_uri(), width, 900, scheme)
                pages[width, scheme] = browser.evaluate(PROBE)
                browser.screenshot(REPORTS / f"kpi-report-{width}-{scheme}.png")
        browser.open(shipped_report.as_uri(), 800, 1100, "dark", media="print")
        pages["print"] = browser.evaluate(PRINT_PROBE)
    finally:
        browser.close()
    return pages


def _declared_y() -> dict[str, str]:
    from toolkit.sql.kpi_files import load_kpi_files

    return {k.name: k.header["y"] for k in load_kpi_files([REPO / "sql" / "kpi"]) if "y" in k.header}


@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_fits_and_chart_text_is_readable(rendered, width, scheme):
    page = rendered[width, scheme]
    assert page["width"] == width and page["scrollWidth"] <= width, "the body scrolls sideways"
    matrix_width, matrix_box = page["matrix"]
    assert matrix_width <= matrix_box, "the parity matrix reflows (KPI names wrap at '_') instead of scrolling"
    assert len(page["charts"]) == len(list((REPO / "sql" / "kpi").glob("*.sql")))
    small = [(c["kpi"], t["text"], round(t["px"], 1)) for c in page["charts"] for t in c["texts"]
             if t["px"] < MIN_TEXT_PX]
    assert small == []
    outside = [(c["kpi"], t["text"]) for c in page["charts"] for t in c["texts"]
               if t["left"] < c["left"] - 1 or t["right"] > c["right"] + 1]
    assert outside == [], "chart text drawn outside its chart (cut off on a narrow screen)"
    assert (REPORTS / f"kpi-report-{width}-{scheme}.png").stat().st_size > 10_000


@pytest.mark.slow
def test_each_chart_plots_the_column_its_header_declares(rendered):
    charts = {c["kpi"]: c for c in rendered[390, "light"]["charts"]}
    declared = _declared_y()
    assert declared, "the shipped suite declares at least one chart"
    assert {name: charts[name]["y"] for name in declared} == declared
    for chart in charts.values():
        assert chart["column"] is not None, f"{chart['kpi']}: y {chart['y']!r} is not a column of its table"
        # the numbers drawn are that column's (as the table prints them), in the result's order
        if chart["kind"] == "bar":
            assert chart["values"] == chart["column"][:len(chart["values"])] and chart["values"]
        if chart["kind"] == "stat":
            assert chart["values"] == chart["column"][:1]


@pytest.mark.slow
def test_dark_mode_follows_the_system_setting(rendered):
    def luminance(css: str) -> float:
        red, green, blue = (int(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255

    for width in WIDTHS:
        assert luminance(rendered[width, "light"]["background"]) > 0.8
        assert luminance(rendered[width, "dark"]["background"]) < 0.2


@pytest.mark.slow
def test_print_drops_the_navigation_and_keeps_sections_whole(rendered):
    printed = rendered["print"]
    assert printed["nav"] == "none" and printed["background"] == "rgb(255, 255, 255)"  # paper, even in dark mode
    assert set(printed["sections"]) == {"avoid"}
    assert printed["head"] == "rgb(243, 244, 246)"  # the light palette on paper: dark headers would print black


OVERLAP_PROBE = r"""
(() => [...document.querySelectorAll('svg.chart-bar, svg.chart-line')].flatMap(chart => {
  const boxes = sel => [...chart.querySelectorAll(sel)].map(e => [e.textContent.trim(), e.getBoundingClientRect()]);
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const texts = boxes('text'), bars = boxes('rect.bar');
  return texts.flatMap(([text, t]) => bars.filter(([, b]) => hit(t, b)).map(() => chart.dataset.kpi + ': ' + text))
    .concat(texts.flatMap(([a, ta], i) => texts.slice(i + 1).filter(([, tb]) => hit(ta, tb)).map(([b]) => a + ' / ' + b)));
}))()
"""


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_never_overlaps_a_bar_or_another_text(chromium, local_gold_project, tmp_path, width):
    """Revenue in the tens of millions (the shipped amazon_revenue_by_category at 500 k orders printed
    34,239,889.00 over the end of its bar on a phone): a bar chart's numbers and labels stay clear of every bar; a
    line chart's caption, legend and top tick label stay clear of each other."""
    from toolkit.cli import run

    (tmp_path / "big_revenue.sql").write_text(
        "-- name: big_revenue\n-- chart: bar\n-- x: channel\n-- y: revenue\n"
        "SELECT channel, SUM(amount) * 100000 AS revenue FROM {{ ref('fact_sales') }}\n"
        "GROUP BY channel ORDER BY revenue DESC\n")
    (tmp_path / "monthly.sql").write_text(
        "-- name: monthly\n-- chart: line\n-- x: month\n-- y: revenue\n"
        "SELECT date_trunc('month', order_date) AS month, SUM(amount) AS revenue FROM {{ ref('fact_sales') }}\n"
        "GROUP BY 1 ORDER BY 1\n")
    (tmp_path / "monthly_by_channel.sql").write_text(
        "-- name: monthly_by_channel\n-- chart: line\n-- x: month\n-- y: revenue\n"
        "SELECT date_trunc('month', order_date) AS month, channel, SUM(amount) AS revenue\n"
        "FROM {{ ref('fact_sales') }} GROUP BY 1, 2 ORDER BY 1, 2\n")
    out = tmp_path / "report.html"
    config = local_gold_project("report-browser")
    assert run(["kpi", "report", "-c", str(config), "--html", str(out), "--engines", "duckdb", str(tmp_path)]) == 0
    assert out.read_text().count('data-chart="line"') == 2
    browser = Browser(chromium)
    try:
        browser.open(out.as_uri(), width, 900, "light")
        overlaps = browser.evaluate(OVERLAP_PROBE)
    finally:
        browser.close()
    assert overlaps == []
