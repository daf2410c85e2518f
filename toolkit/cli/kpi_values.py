"""KPI result values for other tools: JSON that keeps numbers as numbers and arrays as arrays, and plain CSV.

The contract (README "Outputs other tools read"):
- JSON: integers, floats and decimals are JSON numbers (a decimal keeps its exact digits, e.g. NUMERIC 5.250000000;
  `--decimals-as-strings` writes them as strings for readers whose numbers are doubles); NaN and infinities, which JSON
  has no number for, are the strings "NaN", "Infinity", "-Infinity" (as BigQuery's REST API writes them); dates and
  timestamps are ISO 8601 strings; arrays are arrays, structs are objects; NULL is null.
- CSV (RFC 4180, what Python's csv module writes): a header row, then rows; no comment lines; NULL is an empty field;
  dates and timestamps ISO 8601; booleans true/false; arrays and structs as their JSON text.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import math
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

# A decimal travels through json.dumps as this marked string, then becomes a bare number with its exact digits.
_MARK = "\u0000fedkit-decimal:"
_MARKED = re.compile(r'"\\u0000fedkit-decimal:(-?[0-9]+(?:\.[0-9]+)?)"')


def plain_decimal(value: Decimal) -> str:
    """A finite decimal in plain notation (a NUMERIC zero is 0.000000000, not Python's 0E-9)."""
    return format(value, "f")


def json_cell(value: Any, decimals_as_strings: bool = False) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return value if math.isfinite(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Decimal):
        if not value.is_finite():
            return "NaN" if value.is_nan() else ("Infinity" if value > 0 else "-Infinity")
        text = plain_decimal(value)
        return text if decimals_as_strings else _MARK + text
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")  # as BigQuery's REST API returns BYTES
    if isinstance(value, dict):
        return {str(k): json_cell(v, decimals_as_strings) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_cell(v, decimals_as_strings) for v in value]
    return str(value)


def dumps(data: Any) -> str:
    """json.dumps, with the decimals json_cell marked written as numbers (exact digits, no float rounding)."""
    return _MARKED.sub(r"\1", json.dumps(data, indent=2, default=str, allow_nan=False))


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return dumps_compact(json_cell(value, decimals_as_strings=False))
    if isinstance(value, (int, float, str, Decimal, dt.date, dt.time, dt.timedelta, bytes, bytearray)):
        cell = json_cell(value, decimals_as_strings=True)
        return cell if isinstance(cell, str) else repr(cell) if isinstance(cell, float) else str(cell)
    return str(value)


def dumps_compact(data: Any) -> str:
    return _MARKED.sub(r"\1", json.dumps(data, separators=(",", ":"), default=str, allow_nan=False))


def rows(table: "pa.Table") -> list[tuple[Any, ...]]:
    """Rows as tuples: by position, so two columns with one name (SELECT a.x, b.x) both stay."""
    return list(zip(*(column.to_pylist() for column in table.columns)))


def table_csv(table: "pa.Table") -> str:
    """One result as CSV: the header row, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.schema.names)
    for row in rows(table):
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()
