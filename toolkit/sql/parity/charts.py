"""Inline SVG charts for the HTML report, chosen from a result's shape. Pure: rows in, SVG text out (no JS).

- a date/timestamp first column and a numeric column -> a line (one line per value of a text column, up to 8);
- a text column and a numeric column -> horizontal bars (the first `MAX_BARS` rows, in the result's order);
- one row of numbers -> number tiles;
- anything else -> a small placeholder saying why there is no chart.
The numeric column plotted is the first float/decimal one not named like an id or a rank, else the first integer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import escape
from typing import Any, Sequence

MAX_BARS = 20
MAX_SERIES = 8
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")
_IDISH = ("_id", "rank", "position", "row_number")


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # line | bar | stat | none
    x: int | None = None  # column index of the x axis (line) or the label (bar)
    y: int | None = None  # column index of the plotted value
    series: int | None = None  # line: column whose values split the lines
    labels: tuple[int, ...] = ()  # bar: columns joined into the label
    reason: str = ""


def column_kinds(rows: Sequence[Sequence[Any]], width: int) -> list[str]:
    """Per column: temporal | float | integer | text | bool | empty, from the first non-NULL value."""
    kinds = []
    for index in range(width):
        value = next((row[index] for row in rows if row[index] is not None), None)
        if value is None:
            kinds.append("empty")
        elif isinstance(value, bool):
            kinds.append("bool")
        elif isinstance(value, (date, datetime)):
            kinds.append("temporal")
        elif isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value()
                                        and value.as_tuple().exponent >= 0):
            kinds.append("integer")  # a DECIMAL(38, 0) (DuckDB's HUGEINT counts) is a count too
        elif isinstance(value, (float, Decimal)):
            kinds.append("float")
        else:
            kinds.append("text")
    return kinds


def _value_column(names: Sequence[str], kinds: Sequence[str]) -> int | None:
    def idish(name: str) -> bool:
        lowered = name.lower()
        return lowered == "id" or any(lowered.endswith(s) or lowered.startswith(s.strip("_")) for s in _IDISH)

    for wanted in ("float", "integer"):
        for index, (name, kind) in enumerate(zip(names, kinds)):
            if kind == wanted and not idish(name):
                return index
    return next((i for i, k in enumerate(kinds) if k in ("float", "integer")), None)


def choose_chart(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> ChartSpec:
    if not rows:
        return ChartSpec("none", reason="no rows")
    kinds = column_kinds(rows, len(names))
    y = _value_column(names, kinds)
    if y is None:
        return ChartSpec("none", reason="no numeric column to chart")
    if kinds[0] == "temporal" and len(rows) > 1:
        series = next((i for i, k in enumerate(kinds) if k == "text"), None)
        return ChartSpec("line", x=0, y=y, series=series)
    labels = tuple(i for i, k in enumerate(kinds) if k in ("text", "bool", "temporal"))[:2]
    if len(rows) == 1 and not labels:
        return ChartSpec("stat")
    if labels:
        return ChartSpec("bar", y=y, labels=labels)
    return ChartSpec("bar", y=y, labels=(0,)) if y != 0 else ChartSpec("none", reason="no label column to chart")


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_number(value: Any) -> str:
    number = _number(value)
    if number is None:
        return "NULL" if value is None else str(value)
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    if abs(number) >= 100:
        return f"{number:,.2f}"
    return f"{number:.4g}"


def _short(value: float) -> str:
    magnitude = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _label(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high == low:
        return [low]
    step = (high - low) / count
    power = 10 ** math.floor(math.log10(step))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= step)
    start = math.floor(low / step) * step
    return [start + i * step for i in range(count + 2) if start + i * step <= high + step * 1e-9]


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def chart_svg(title: str, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """One <svg> for a KPI result (always exactly one, a placeholder when no chart fits)."""
    spec = choose_chart(names, rows)
    if spec.kind == "line":
        return _line(title, names, rows, spec)
    if spec.kind == "bar":
        return _bars(title, names, rows, spec)
    if spec.kind == "stat":
        return _stat(title, names, rows[0])
    body = [f'<text x="12" y="28" class="muted">{escape(spec.reason)}</text>']
    return _svg(360, 44, f"{title}: {spec.reason}", body)


def _bars(title: str, names: Sequence[str], rows: Sequence[Sequence[Any]], spec: ChartSpec) -> str:
    assert spec.y is not None
    shown = list(rows[:MAX_BARS])
    values = [_number(row[spec.y]) for row in shown]
    labels = [_clip(" · ".join(_label(row[i]) for i in spec.labels), 30) for row in shown]
    known = [v for v in values if v is not None] or [0.0]
    low, high = min(0.0, min(known)), max(0.0, max(known))
    span = (high - low) or 1.0
    left, width, bar_h, top = 210, 300, 18, 26
    zero = left + (0 - low) / span * width
    body = [f'<text x="{left}" y="16" class="axis">{escape(names[spec.y])}'
            + (f" (first {MAX_BARS} of {len(rows)} rows)" if len(rows) > MAX_BARS else "") + "</text>"]
    for index, (label, value) in enumerate(zip(labels, values)):
        y = top + index * (bar_h + 4)
        body.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end" class="label">{escape(label)}</text>')
        if value is None:
            body.append(f'<text x="{zero + 4:.1f}" y="{y + 13}" class="muted">NULL</text>')
            continue
        x0, x1 = sorted((zero, left + (value - low) / span * width))
        body.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.5):.1f}" height="{bar_h}" '
                    f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(format_number(value))}</title></rect>')
        body.append(f'<text x="{x1 + 4:.1f}" y="{y + 13}" class="value">{escape(format_number(rows[index][spec.y]))}'
                    "</text>")
    height = top + len(shown) * (bar_h + 4) + 8
    return _svg(left + width + 110, height, title, body)


def _line(title: str, names: Sequence[str], rows: Sequence[Sequence[Any]], spec: ChartSpec) -> str:
    assert spec.x is not None and spec.y is not None
    groups: dict[str, list[tuple[Any, float]]] = {}
    for row in rows:
        value = _number(row[spec.y])
        if row[spec.x] is None or value is None:
            continue
        key = _label(row[spec.series]) if spec.series is not None else names[spec.y]
        groups.setdefault(key, []).append((row[spec.x], value))
    series = sorted(groups, key=lambda k: -len(groups[k]))[:MAX_SERIES]
    xs = sorted({_label(x) for k in series for x, _ in groups[k]})
    ys = [v for k in series for _, v in groups[k]] or [0.0]
    low, high = min(ys), max(ys)
    if low == high:
        low, high = low - 1, high + 1
    left, top, width, height = 64, 24, 520, 190
    position = {x: left + (i / max(len(xs) - 1, 1)) * width for i, x in enumerate(xs)}

    def y_of(value: float) -> float:
        return top + height - (value - low) / (high - low) * height

    body = [f'<text x="{left}" y="14" class="axis">{escape(names[spec.y])}</text>']
    for tick in _ticks(low, high):
        y = y_of(tick)
        body.append(f'<line x1="{left}" x2="{left + width}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{_short(tick)}</text>')
    for x, anchor in {xs[0]: "start", xs[len(xs) // 2]: "middle", xs[-1]: "end"}.items():
        body.append(f'<text x="{position[x]:.1f}" y="{top + height + 16}" text-anchor="{anchor}" class="axis">'
                    f"{escape(x)}</text>")
    for index, key in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        points = sorted((position[_label(x)], y_of(v), _label(x), v) for x, v in groups[key])
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for px, py, label, value in points:
            body.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="{color}"><title>{escape(key)} '
                        f"{escape(label)}: {escape(format_number(value))}</title></circle>")
        if spec.series is not None:
            body.append(f'<text x="{left + width + 8}" y="{top + 12 + index * 14}" fill="{color}" class="label">'
                        f"{escape(_clip(key, 18))}</text>")
    return _svg(left + width + (130 if spec.series is not None else 20), top + height + 26, title, body)


def _stat(title: str, names: Sequence[str], row: Sequence[Any]) -> str:
    tiles = [(name, value) for name, value in zip(names, row) if _number(value) is not None or value is None][:4]
    body = []
    for index, (name, value) in enumerate(tiles):
        x = 8 + index * 170
        body.append(f'<rect x="{x}" y="6" width="160" height="70" rx="8" class="tile"/>')
        body.append(f'<text x="{x + 12}" y="46" class="big">{escape(_clip(format_number(value), 14))}</text>')
        body.append(f'<text x="{x + 12}" y="66" class="label">{escape(_clip(name, 24))}</text>')
    return _svg(max(8 + len(tiles) * 170, 180), 84, title, body)
