"""Chart geometry for the report's template: what to draw, in numbers and short texts. Pure: rows in, a model out.

Charts are inline SVG sized in percentages of their box (no viewBox), so text keeps its CSS size at any width (a
scaled-down viewBox made 11 px labels 6 px on a phone) and the template needs no script.

Why not a chart library (measured on this suite, Dec 2026): pygal 3.1.3 (130 kB wheel, plus importlib-metadata)
draws in a fixed 800x600 viewBox (10 px labels shrink to ~4 px at 390 px), emits a <script> even with js=[], random
element ids (unstable output) and SVGs 4x larger (23 kB vs 5 kB for 20 bars); vl-convert-python (Vega) is a 33.5 MB
wheel. This module and the template's chart macros are ~250 lines and give what the page needs: data-x/data-y on
each chart, theme colours from CSS (dark mode, print), text that never scales.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

from toolkit.report.chart_spec import ChartSpec
from toolkit.report.formats import format_tick, format_value, number_of

MAX_BARS = 20
MAX_SERIES = 8
MAX_LABEL_CHARS = 40
MAX_X_LABELS = 5
BAR_AREA = 100.0  # % of the width bars may take: the value is printed right-aligned on the label line above its
# bar, never beside it (beside a bar, a phone's 24 % of 340 px could not hold "34,239,889.00": it covered the bar)
BAR_ROW = 34  # px per bar: the label line, then the bar
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    x: float  # % of the width where the bar starts
    width: float  # % of the width
    top: int  # px
    null: bool = False


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    points: tuple[tuple[float, float, str], ...]  # (x %, y px, tooltip)


@dataclass(frozen=True)
class Chart:
    """One KPI's chart: `kind` picks the template macro; `x_name`/`y_name` are what the page declares it plots."""

    kpi: str
    kind: str  # bar | line | stat | none
    y_name: str = ""
    x_name: str = ""
    format: str = ""
    declared: bool = False
    height: int = 0
    caption: str = ""
    bars: tuple[Bar, ...] = ()
    zero: float = 0.0
    series: tuple[Series, ...] = ()
    legend: bool = False
    plot_top: int = 0
    plot_height: int = 0
    grid: tuple[tuple[float, str], ...] = ()  # (y px, tick text)
    x_labels: tuple[tuple[float, str, str], ...] = ()  # (x %, text, text-anchor)
    tiles: tuple[tuple[str, str, bool], ...] = field(default_factory=tuple)  # (name, value, is the y column)
    reason: str = ""


def _clip(text: str, size: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round gridline values from at or below `low` to at or above `high` (the top point sits under a line)."""
    if high == low:
        return [low]
    step = (high - low) / count
    power = 10 ** math.floor(math.log10(step))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= step)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(start + len(ticks) * step)
    return ticks


def build_chart(kpi: str, names: Sequence[str], rows: Sequence[Sequence[Any]], spec: ChartSpec) -> Chart:
    common = {"kpi": kpi, "kind": spec.kind, "declared": spec.declared,
              "y_name": names[spec.y] if spec.y is not None else "",
              "x_name": names[spec.x] if spec.x is not None else "",
              "format": spec.formats[spec.y] if spec.y is not None else ""}
    if spec.kind == "bar":
        return _bars(names, rows, spec, common)
    if spec.kind == "line":
        return _line(names, rows, spec, common)
    if spec.kind == "stat":
        return _stat(names, rows[0], spec, common)
    return Chart(**common, reason=spec.reason)


def _bars(names: Sequence[str], rows: Sequence[Sequence[Any]], spec: ChartSpec, common: dict) -> Chart:
    assert spec.y is not None
    shown = list(rows[:MAX_BARS])
    fmt = spec.formats[spec.y]
    values = [number_of(row[spec.y]) for row in shown]
    known = [v for v in values if v is not None] or [0.0]
    low, high = min(0.0, min(known)), max(0.0, max(known))
    span = (high - low) or 1.0

    def at(value: float) -> float:
        return (value - low) / span * BAR_AREA

    zero = at(0.0)
    bars = []
    for index, (row, value) in enumerate(zip(shown, values)):
        label = _clip(" · ".join(format_value(row[i], spec.formats[i]) for i in spec.labels))
        text = format_value(row[spec.y], fmt)
        top = 24 + index * BAR_ROW
        if value is None:
            bars.append(Bar(label, text, zero, 0.0, top, null=True))
            continue
        start, end = sorted((zero, at(value)))
        bars.append(Bar(label, text, start, max(end - start, 0.2), top))
    caption = names[spec.y] + (f" · first {MAX_BARS} of {len(rows):,} rows" if len(rows) > MAX_BARS else "")
    return Chart(**common, bars=tuple(bars), zero=zero, caption=caption, height=24 + len(bars) * BAR_ROW + 4)


def _x_text(value: Any, fmt: str, monthly: bool) -> str:
    if monthly and isinstance(value, date):
        return value.strftime("%b %Y")
    return format_value(value, fmt)


def _x_label_indexes(count: int, monthly: bool) -> list[int]:
    if count <= MAX_X_LABELS:
        return list(range(count))
    wanted = math.ceil((count - 1) / (MAX_X_LABELS - 1))
    steps = (1, 2, 3, 6, 12, 24, 36, 60, 120) if monthly else (wanted,)
    step = next((s for s in steps if s >= wanted), wanted)
    indexes = list(range(0, count, step))
    if count - 1 - indexes[-1] >= step / 2:
        indexes.append(count - 1)  # the last point, when it does not crowd the label before it
    return indexes


def _line(names: Sequence[str], rows: Sequence[Sequence[Any]], spec: ChartSpec, common: dict) -> Chart:
    assert spec.x is not None and spec.y is not None
    fmt, x_fmt = spec.formats[spec.y], spec.formats[spec.x]
    groups: dict[str, list[tuple[Any, float]]] = {}
    for row in rows:
        value = number_of(row[spec.y])
        if row[spec.x] is None or value is None:
            continue
        key = format_value(row[spec.series], spec.formats[spec.series]) if spec.series is not None else names[spec.y]
        groups.setdefault(key, []).append((row[spec.x], value))
    keys = sorted(groups, key=lambda k: -len(groups[k]))[:MAX_SERIES]
    xs = sorted({x for k in keys for x, _ in groups[k]}, key=lambda v: (str(type(v)), v))
    if not xs:
        return Chart(**{**common, "kind": "none"}, reason=f"no {names[spec.y]} value to plot")
    monthly = all(isinstance(x, date) and x.day == 1 for x in xs) and len(xs) > 1
    values = [v for k in keys for _, v in groups[k]]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    legend = spec.series is not None
    # the top tick's label sits 3 px above its gridline, one 12 px line tall: it starts below the caption (and the
    # legend's last line) instead of touching them
    top = 36 + (len(keys) * 18 if legend else 0)
    plot = 170
    position = {x: 2 + (i / max(len(xs) - 1, 1)) * 96 for i, x in enumerate(xs)}

    def y_of(value: float) -> float:
        return round(top + plot - (value - low) / (high - low) * plot, 1)

    series = []
    for index, key in enumerate(keys):
        points = sorted((round(position[x], 2), y_of(v), f"{key} {format_value(x, x_fmt)}: {format_value(v, fmt)}")
                        for x, v in groups[key])
        series.append(Series(key, PALETTE[index % len(PALETTE)], tuple(points)))
    anchors = {0: "start", len(xs) - 1: "end"}
    labels = tuple((round(position[xs[i]], 2), _x_text(xs[i], x_fmt, monthly), anchors.get(i, "middle"))
                   for i in _x_label_indexes(len(xs), monthly))
    return Chart(**common, series=tuple(series), legend=legend, plot_top=top, plot_height=plot,
                 grid=tuple((y_of(t), format_tick(t, fmt)) for t in ticks), x_labels=labels,
                 caption=names[spec.y], height=top + plot + 30)


def _stat(names: Sequence[str], row: Sequence[Any], spec: ChartSpec, common: dict) -> Chart:
    tiles = [(name, format_value(value, spec.formats[i]), i == spec.y)
             for i, (name, value) in enumerate(zip(names, row)) if number_of(value) is not None or value is None]
    tiles.sort(key=lambda tile: not tile[2])  # the declared (or chosen) value first
    return Chart(**common, tiles=tuple(tiles[:4]))
