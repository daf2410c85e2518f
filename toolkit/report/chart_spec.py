"""Which chart a KPI gets and which columns it plots: what the KPI header declares (`chart:`, `x:`, `y:`,
`format:`), else a choice from the result's ORDER BY and column types. Pure: names and rows in, a ChartSpec out.

The automatic choice:
- y (the plotted value): the first measure among the ORDER BY keys (what the KPI ranks by; ordering a single row
  ranks nothing, so then it does not count); else a measure whose
  name is part of the KPI's name (`cancellation_rate_by_payment_method` plots `cancellation_rate`); else the first
  float/decimal measure, else the first integer one. A measure is a number not named like an id, rank or position.
- the labels (bar) are the row's key: the columns before the first measure, ranks left out, an `x_id` replaced by
  the `x_name` beside it when the names are unique (up to two columns: per customer the bar says which customer).
- kind: a line when x is a date or timestamp, number tiles for one row without a text key, bars otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from toolkit.errors import UsageError
from toolkit.report.formats import (FLOAT, INTEGER, TEMPORAL, TEXT, BOOL, column_format, column_kinds, is_measure,
                                    is_rank_name)

MAX_LABEL_COLUMNS = 2


@dataclass(frozen=True)
class Declared:
    """The chart keys of a KPI header, and where each was written (`path:line`) for error messages."""

    chart: str | None = None
    x: str | None = None
    y: str | None = None
    format: str | None = None
    where: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_header(cls, header: Mapping[str, Any], where: Mapping[str, str] | None = None) -> "Declared":
        return cls(header.get("chart"), header.get("x"), header.get("y"), header.get("format"), dict(where or {}))


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # line | bar | stat | none
    x: int | None = None  # line: the x axis column
    y: int | None = None  # the plotted value column
    series: int | None = None  # line: column whose values split the lines
    labels: tuple[int, ...] = ()  # bar: columns joined into a bar's label
    formats: tuple[str, ...] = ()  # per column: how its values print (see formats.column_format)
    declared: bool = False  # the header chose y (or the kind)
    reason: str = ""  # kind none: why there is no chart


def _column(names: Sequence[str], declared: Declared, key: str) -> int | None:
    value = getattr(declared, key)
    if value is None:
        return None
    lowered = [n.lower() for n in names]
    if value.lower() not in lowered:
        where = declared.where.get(key, "KPI header")
        raise UsageError(f"{where}: {key}: {value!r} is not a column of the result (columns: {', '.join(names)})")
    return lowered.index(value.lower())


def _y_column(names: Sequence[str], kinds: Sequence[str], kpi: str, order_keys: Sequence[int]) -> int | None:
    measures = [i for i, (n, k) in enumerate(zip(names, kinds)) if is_measure(n, k)]
    for key in order_keys:
        if key in measures:
            return key
    named = [i for i in measures if names[i].lower() in kpi.lower()]
    if named:
        return max(named, key=lambda i: len(names[i]))
    for wanted in (FLOAT, INTEGER):
        for index in measures:
            if kinds[index] == wanted:
                return index
    return None


def _labels(names: Sequence[str], kinds: Sequence[str], rows: Sequence[Sequence[Any]], y: int) -> tuple[int, ...]:
    first_measure = next((i for i, (n, k) in enumerate(zip(names, kinds)) if is_measure(n, k)), len(names))
    keys = [i for i in range(first_measure) if i != y and not is_rank_name(names[i]) and kinds[i] != "empty"]
    lowered = [n.lower() for n in names]
    for index in list(keys):
        stem = lowered[index].removesuffix("_id") if lowered[index].endswith("_id") else None
        name_column = next((j for j in keys if stem and lowered[j] in (f"{stem}_name", "name")), None)
        if name_column is not None and len({row[name_column] for row in rows}) == len(rows):
            keys.remove(index)  # the name says which one, and no two rows share it
    return tuple(keys[:MAX_LABEL_COLUMNS])


def choose_chart(names: Sequence[str], rows: Sequence[Sequence[Any]], declared: Declared = Declared(), *,
                 kpi: str = "", order_keys: Sequence[int] = ()) -> ChartSpec:
    """The chart for one KPI result; UsageError (naming the header line) when the header names a missing column."""
    kinds = column_kinds(rows, len(names))
    y_declared = _column(names, declared, "y")
    x = _column(names, declared, "x")
    ranked = order_keys if len(rows) > 1 else ()
    y = y_declared if y_declared is not None else _y_column(names, kinds, kpi, ranked)
    formats = tuple(column_format(n, k, declared.format if i == y and declared.format else None)
                    for i, (n, k) in enumerate(zip(names, kinds)))
    common = {"formats": formats, "declared": y_declared is not None or declared.chart is not None}
    if declared.chart == "none":
        return ChartSpec("none", reason="no chart (chart: none)", **common)
    if not rows:
        return ChartSpec("none", reason="no rows", **common)
    if y is None:
        return ChartSpec("none", reason="no numeric column to chart", **common)
    temporal = next((i for i, k in enumerate(kinds) if k == TEMPORAL and i != y), None)
    line_x = x if x is not None else temporal
    kind = declared.chart
    if kind is None:
        if line_x is not None and len(rows) > 1:
            kind = "line"
        elif len(rows) == 1 and not any(kinds[i] in (TEXT, BOOL, TEMPORAL) for i in range(len(names)) if i != y):
            kind = "stat"
        else:
            kind = "bar"
    if kind == "line":
        if line_x is None:
            line_x = next((i for i in range(len(names)) if i != y), None)
        if line_x is None:
            return ChartSpec("none", reason="no x column for a line", **common)
        series = next((i for i, k in enumerate(kinds) if k == TEXT and i not in (line_x, y)), None)
        return ChartSpec("line", x=line_x, y=y, series=series, **common)
    if kind == "stat":
        return ChartSpec("stat", y=y, **common)
    labels = (x,) if x is not None else _labels(names, kinds, rows, y)
    if not labels:
        labels = tuple(i for i in range(len(names)) if i != y)[:1]
    if not labels:
        return ChartSpec("stat", y=y, **common)
    return ChartSpec("bar", x=labels[0], y=y, labels=labels, **common)
