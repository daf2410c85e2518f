"""The report page: section and parity data in, one HTML file's text out, from the packaged Jinja2 template
(templates/report.html.j2, autoescaped). Pure: no I/O beyond reading the template shipped with the package."""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from toolkit.report.chart_spec import ChartSpec, Declared, choose_chart
from toolkit.report.charts import build_chart
from toolkit.report.formats import FLOAT, INTEGER, column_kinds, format_date, format_value
from toolkit.sql.parity.model import ParityReport

# Parity statuses with a style of their own; any other status (a newer runner's) still shows, in the neutral style.
KNOWN_STATUSES = ("pass", "mismatch", "error", "empty", "timeout", "type-mismatch")


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
    declared: Declared = Declared()
    order_keys: tuple[int, ...] = ()


def anchor(name: str) -> str:
    return "kpi-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def status_css(status: str) -> str:
    """A CSS class for any status text: the status itself when known, else a slug of it."""
    slug = re.sub(r"[^a-z0-9-]+", "-", status.lower()).strip("-") or "unknown"
    return slug if slug in KNOWN_STATUSES else f"other {slug}"


def breakable(name: str) -> Any:
    """A snake_case name that may wrap after each underscore (a long KPI name on a phone), escaped."""
    from markupsafe import Markup, escape

    return Markup("_<wbr>").join(escape(part) for part in str(name).split("_"))


def without_root(text: str, root: Path | None) -> str:
    """`text` with local folders taken out: the project root's absolute path becomes relative (`./` for the root
    itself) and the home folder `~`. Only whole path components match (`/work/proj` leaves `/work/project2`)."""
    if not text:
        return text
    for folder, shown in ((root, "."), (Path.home(), "~")):
        prefix = str(folder).rstrip("/") if folder is not None else ""
        if prefix:
            pattern = re.escape(prefix) + r"(/|(?![\w.-]))"
            text = re.sub(pattern, lambda m, shown=shown: ("" if shown == "." else "~/") if m.group(1) else shown,
                          text)
    return text


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], formats: Sequence[str], max_rows: int) -> dict:
    kinds = column_kinds(rows, len(columns))
    lines = []
    for row in rows[:max_rows]:
        cells = []
        for value, fmt, kind in zip(row, formats, kinds):
            css = "null" if value is None else "num" if kind in (FLOAT, INTEGER) else ""
            cells.append({"text": format_value(value, fmt), "css": css})
        lines.append({"cells": cells, "css": ""})
    return {"columns": list(columns), "rows": lines, "total": len(rows), "more": len(rows) > max_rows, "css": ""}


def _difference_table(comparison: Any, engine: str, tolerance: float) -> dict:
    """Reference and engine rows interleaved; in a pair, the cells that differ are marked. Values print exactly as
    parity compared them (15 significant digits: a rounded 1.50 could hide the difference), dates as dates."""
    from toolkit.sql.parity.compare import format_value as exact, values_equal

    columns = comparison.columns
    width = len(columns)

    def text(value: Any) -> str:
        return format_date(value) if isinstance(value, date) else exact(value)

    def line(side: str, row: Sequence[Any], other: Sequence[Any] | None, css: str) -> dict:
        cells = [{"text": side, "css": ""}]
        for index in range(width):
            value = row[index] if index < len(row) else None
            differs = other is not None and (index >= len(other) or not values_equal(value, other[index], tolerance))
            cells.append({"text": text(value), "css": "differs" if differs else ""})
        return {"cells": cells, "css": css}

    left, right = comparison.reference_rows, comparison.engine_rows
    lines = []
    for index in range(max(len(left), len(right))):
        pair = index < len(left) and index < len(right)
        if index < len(left):
            lines.append(line("reference", left[index], right[index] if pair else None,
                              "reference" if pair else "reference unpaired"))
        if index < len(right):
            lines.append(line(engine, right[index], left[index] if pair else None,
                              "engine" if pair else "engine unpaired"))
    return {"columns": ["side", *columns], "rows": lines, "total": len(lines), "more": False, "css": "difference"}


def summary(report: ParityReport) -> str:
    counts = report.counts()
    shown = [f"{counts.get(s, 0)} {s}" for s in ("pass", "mismatch", "error")]
    shown += [f"{n} {s}" for s, n in counts.items() if s not in ("pass", "mismatch", "error") and n]
    return f"{len(report.kpis)} KPIs x {len(report.engines)} engines: " + ", ".join(shown)


def parity_context(report: ParityReport, root: Path | None = None) -> dict:
    rows = []
    for run in report.kpis:
        cells = []
        for engine in report.engines:
            result = report.result(run.name, engine)
            status = result.status if result else "not run"
            cells.append({"status": status, "css": status_css(status),
                          "message": without_root(result.message if result else "not run", root)})
        rows.append({"name": run.name, "anchor": anchor(run.name), "cells": cells})
    details = []
    for result in report.results:
        if result.status == "pass":
            continue
        comparison = result.comparison
        table = (_difference_table(comparison, result.engine, report.relative_tolerance)
                 if comparison is not None and (comparison.reference_rows or comparison.engine_rows) else None)
        details.append({"kpi": result.kpi, "engine": result.engine, "status": result.status,
                        "css": status_css(result.status), "message": without_root(result.message, root),
                        "table": table})
    engines = [{"name": e, "independent": report.oracles.get(e) is None or report.oracles[e].independent}
               for e in report.engines]
    return {"summary": summary(report), "engines": engines, "rows": rows, "details": details,
            "notes": [without_root(line, root) for line in report.notes()]}


def section_context(section: KpiSection, max_rows: int, root: Path | None = None) -> dict:
    meta = " · ".join(f"{k}: {', '.join(v) if isinstance(v, (list, tuple)) else v}"
                      for k, v in section.header.items() if k in ("grain", "owner", "tags") and v)
    context: dict[str, Any] = {"name": section.name, "anchor": anchor(section.name), "meta": meta,
                               "description": section.description, "sql": section.source_sql.strip(),
                               "error": without_root(section.error, root) if section.error is not None else None,
                               "milliseconds": f"{section.seconds * 1000:.0f}"}
    if section.error is not None:
        context["chart"] = build_chart(section.name, (), (), ChartSpec("none", reason="the KPI failed on DuckDB"))
        return context
    spec = choose_chart(section.columns, section.rows, section.declared, kpi=section.name,
                        order_keys=section.order_keys)
    context["chart"] = build_chart(section.name, section.columns, section.rows, spec)
    context["table"] = _table(section.columns, section.rows, spec.formats, max_rows)
    return context


@lru_cache(maxsize=1)
def _template() -> Any:
    from importlib.resources import files

    from jinja2 import Environment, StrictUndefined

    folder = files("toolkit.report") / "templates"
    environment = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=False)
    environment.filters["breakable"] = breakable
    template = environment.from_string((folder / "report.html.j2").read_text(encoding="utf-8"))
    return template, (folder / "report.css").read_text(encoding="utf-8")


def render_html(sections: Sequence[KpiSection], parity: ParityReport | None, *, title: str = "KPI report",
                subtitle: str = "", max_rows: int = 50, root: Path | None = None) -> str:
    """The whole page: header, navigation, parity, one section per KPI. `root`: the project folder, whose absolute
    path never appears in the page (a page is shared; paths in it are relative to the project)."""
    from markupsafe import Markup

    template, css = _template()
    text = template.render(
        title=title, subtitle=without_root(subtitle, root), css=Markup(css),
        sections=[section_context(s, max_rows, root) for s in sections],
        parity=parity_context(parity, root) if parity is not None else None)
    return text.rstrip("\n") + "\n"
