"""`fedkit kpi report --html`: one self-contained page (inline CSS and SVG, no script, no external asset) with the
parity matrix and, per KPI, a chart and its rows on DuckDB over all the gold data.

`render_html` is pure (results in, text out); `build_report` gathers the results and writes the file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from toolkit.errors import UsageError
from toolkit.sql.parity.charts import chart_svg, format_number
from toolkit.sql.parity.compare import format_value, table_rows
from toolkit.sql.parity.model import ParityReport

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.sql.parity.runner import Progress

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 4px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:16px 20px;margin:16px 0}
.muted,.meta{color:#6b7280}.meta{font-size:12px;margin:0 0 10px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 10px;text-align:left;white-space:nowrap}
th{background:#f3f4f6;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.null{color:#9ca3af;font-style:italic}
.status{font-weight:600;text-align:center}.pass{color:#15803d;background:#f0fdf4}
.mismatch{color:#b91c1c;background:#fef2f2}.error{color:#b45309;background:#fffbeb}
.scroll{overflow-x:auto}pre{background:#f3f4f6;padding:10px;border-radius:6px;overflow-x:auto;font-size:12px}
nav a{margin-right:10px;white-space:nowrap}ul.notes{color:#4b5563;font-size:12px;padding-left:18px}
svg.chart{display:block;margin:8px 0;max-width:100%;height:auto}
svg .axis{font-size:10px;fill:#6b7280}svg .label{font-size:11px;fill:#374151}svg .value{font-size:10px;fill:#374151}
svg .muted{font-size:12px;fill:#6b7280}svg .grid{stroke:#e5e7eb}svg .big{font-size:24px;font-weight:600;fill:#111827}
svg .tile{fill:#eff6ff;stroke:#bfdbfe}
"""


@dataclass(frozen=True)
class KpiSection:
    name: str
    description: str = ""
    header: dict[str, Any] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    error: str | None = None
    source_sql: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    kpis: list[str]
    parity: ParityReport


def _anchor(name: str) -> str:
    return "kpi-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def _cell(value: Any) -> str:
    if value is None:
        return '<td class="null">NULL</td>'
    if isinstance(value, (int, float)) and not isinstance(value, bool) or type(value).__name__ == "Decimal":
        return f'<td class="num">{escape(format_number(value))}</td>'
    return f"<td>{escape(format_value(value))}</td>"


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_rows: int, css_class: str = "") -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows[:max_rows])
    more = (f'<p class="muted">first {max_rows} of {len(rows)} rows</p>' if len(rows) > max_rows else "")
    return (f'<div class="scroll"><table class="{css_class}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>{more}")


def parity_html(report: ParityReport) -> str:
    """The parity matrix (table#parity-matrix), the details of every non-passing cell, and the notes."""
    head = "<th>KPI</th>" + "".join(
        f"<th>{escape(e)}{'' if report.oracles.get(e) is None or report.oracles[e].independent else ' *'}</th>"
        for e in report.engines
    )
    lines = []
    for run in report.kpis:
        cells = []
        for engine in report.engines:
            result = report.result(run.name, engine)
            status = result.status if result else "error"
            tip = escape(result.message if result else "not run", quote=True)
            cells.append(f'<td class="status {status}" title="{tip}">{status}</td>')
        lines.append(f'<tr><td><a href="#{_anchor(run.name)}">{escape(run.name)}</a></td>{"".join(cells)}</tr>')
    matrix = f'<table id="parity-matrix"><thead><tr>{head}</tr></thead><tbody>{"".join(lines)}</tbody></table>'
    details = []
    for result in report.results:
        if result.status == "pass":
            continue
        block = (f'<h3 class="{result.status}">{escape(result.kpi)} on {escape(result.engine)}: {result.status}</h3>'
                 f"<p>{escape(result.message)}</p>")
        comparison = result.comparison
        if comparison is not None and (comparison.reference_rows or comparison.engine_rows):
            rows = [("reference", *r) for r in comparison.reference_rows] + [
                (result.engine, *r) for r in comparison.engine_rows]
            block += _table(("side", *comparison.columns), rows, 20, "difference")
        details.append(block)
    counts = report.counts()
    summary = (f"{len(report.kpis)} KPIs x {len(report.engines)} engines: {counts['pass']} pass, "
               f"{counts['mismatch']} mismatch, {counts['error']} error")
    notes = "".join(f"<li>{escape(line)}</li>" for line in report.notes())
    return (f'<section id="parity"><h2>Parity</h2><p class="meta">{escape(summary)}</p>{matrix}'
            f'<ul class="notes">{notes}</ul>{"".join(details)}</section>')


def kpi_html(section: KpiSection, max_rows: int) -> str:
    meta = " · ".join(f"{k}: {escape(', '.join(v) if isinstance(v, (list, tuple)) else str(v))}"
                      for k, v in section.header.items() if k in ("grain", "owner", "tags") and v)
    parts = [f'<section class="kpi" id="{_anchor(section.name)}"><h2>{escape(section.name)}</h2>']
    if section.description:
        parts.append(f"<p>{escape(section.description)}</p>")
    if meta:
        parts.append(f'<p class="meta">{meta}</p>')
    if section.error is not None:
        parts.append(chart_svg(section.name, ("error",), ()))
        parts.append(f'<p class="error">{escape(section.error)}</p>')
    else:
        parts.append(chart_svg(section.name, section.columns, section.rows))
        parts.append(_table(section.columns, section.rows, max_rows))
        parts.append(f'<p class="meta">{len(section.rows)} rows on DuckDB in {section.seconds * 1000:.0f} ms</p>')
    if section.source_sql:
        parts.append(f"<details><summary>SQL</summary><pre>{escape(section.source_sql.strip())}</pre></details>")
    parts.append("</section>")
    return "".join(parts)


def render_html(sections: Sequence[KpiSection], parity: ParityReport | None, *, title: str = "KPI report",
                subtitle: str = "", max_rows: int = 50) -> str:
    """The whole page as text: header, navigation, parity, one section per KPI."""
    nav = " ".join(f'<a href="#{_anchor(s.name)}">{escape(s.name)}</a>' for s in sections)
    body = [f"<header><h1>{escape(title)}</h1><p class=\"meta\">{escape(subtitle)}</p><nav>{nav}</nav></header>"]
    if parity is not None:
        body.append(parity_html(parity))
    body.extend(kpi_html(s, max_rows) for s in sections)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body><main>"
            + "\n".join(body) + "</main></body></html>\n")


def kpi_sections(loaded: "LoadedConfig", kpis: list, catalog: Any, data: dict[str, "pa.Table"]) -> list[KpiSection]:
    """Each KPI compiled for DuckDB and run over `data` (all rows)."""
    from toolkit.errors import FedkitError
    from toolkit.sql.compile import compile_kpi
    from toolkit.sql.parity.oracle import OracleError, make_oracle

    oracle = make_oracle("duckdb")
    sections = []
    try:
        for kpi in kpis:
            common = {"name": kpi.name, "description": kpi.description, "header": dict(kpi.header),
                      "source_sql": kpi.text[_body_start(kpi.text, kpi.body_offset_lines):]}
            started = time.perf_counter()
            try:
                table = oracle.run(compile_kpi(kpi, "duckdb", loaded, catalog).sql, data)
            except (FedkitError, OracleError) as exc:
                sections.append(KpiSection(**common, error=exc.message))
                continue
            sections.append(KpiSection(**common, columns=tuple(table.column_names), rows=tuple(table_rows(table)),
                                       seconds=time.perf_counter() - started))
    finally:
        oracle.close()
    return sections


def _body_start(text: str, lines: int) -> int:
    position = 0
    for _ in range(lines):
        position = text.find("\n", position) + 1 or len(text)
    return position


def build_report(
    loaded: "LoadedConfig",
    out: Path,
    *,
    engines: Sequence[str] | None = None,
    sample_rows: int | None = 2000,
    kpi_names: Iterable[str] = (),
    paths: Iterable[Path] = (),
    seed: int = 42,
    max_rows: int = 50,
    progress: "Progress | None" = None,
) -> WrittenReport:
    """Run the suite on DuckDB (all rows) and parity (a sample), then write the page to `out`."""
    from toolkit.sql import suite
    from toolkit.sql.parity.runner import read_gold_data, run_parity

    out = Path(out)
    if out.exists() and out.is_dir():
        raise UsageError(f"--html: {out} is a folder; give a file name such as {out / 'kpi-report.html'}")
    kpis = suite.load_suite(loaded, kpi_names, paths)
    catalog = suite.suite_catalog(loaded)
    data = read_gold_data(catalog)
    sections = kpi_sections(loaded, kpis, catalog, data)
    parity = run_parity(loaded, engines, sample_rows, seed=seed, catalog=catalog, data=data, kpis=kpis,
                        progress=progress)
    subtitle = (f"{len(kpis)} KPIs from {loaded.path}; results on DuckDB over all gold rows; "
                f"parity over {parity.sample}")
    text = render_html(sections, parity, subtitle=subtitle, max_rows=max_rows)
    try:
        from toolkit.fsutil import atomic_write

        atomic_write(out, text)
    except OSError as exc:
        raise UsageError(f"--html: cannot write {out}: {exc.strerror or exc}") from None
    return WrittenReport(out, [k.name for k in kpis], parity)
