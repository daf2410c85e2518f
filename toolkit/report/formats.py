"""How a value prints in the report: a rate as a percentage, money with two decimals, IDs without thousands
separators, dates without a midnight time. Pure: (value, format) in, text out."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Sequence

# Kinds of a result column, from its first non-NULL value.
TEMPORAL, FLOAT, INTEGER, TEXT, BOOL, EMPTY = "temporal", "float", "integer", "text", "bool", "empty"
# Name words that make a numeric column something other than a measure: an identifier or a position.
_KEY_WORDS = {"id", "rank", "position", "row_number"}
_RATE_WORDS = {"rate", "share", "ratio", "growth", "pct", "percent", "percentage"}
_MONEY_WORDS = {"revenue", "amount", "price", "value", "aov", "sales", "spend", "cost"}


def column_kinds(rows: Sequence[Sequence[Any]], width: int) -> list[str]:
    """Per column: temporal | float | integer | text | bool | empty, from the first non-NULL value."""
    kinds = []
    for index in range(width):
        value = next((row[index] for row in rows if row[index] is not None), None)
        if value is None:
            kinds.append(EMPTY)
        elif isinstance(value, bool):
            kinds.append(BOOL)
        elif isinstance(value, (date, datetime)):
            kinds.append(TEMPORAL)
        elif isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value()
                                        and value.as_tuple().exponent >= 0):
            kinds.append(INTEGER)  # a DECIMAL(38, 0) (DuckDB's HUGEINT counts) is a count too
        elif isinstance(value, (float, Decimal)):
            kinds.append(FLOAT)
        else:
            kinds.append(TEXT)
    return kinds


def _words(name: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", name.lower()) if w}


def is_key_name(name: str) -> bool:
    """`id`, `customer_id`, `rank_in_category`, `position`: identifies or orders a row, never a measure."""
    words = _words(name)
    return bool(words & _KEY_WORDS) or name.lower() == "row_number"


def is_rank_name(name: str) -> bool:
    return bool(_words(name) & {"rank", "position", "row_number"}) or name.lower() == "row_number"


def is_measure(name: str, kind: str) -> bool:
    return kind in (FLOAT, INTEGER) and not is_key_name(name)


def column_format(name: str, kind: str, declared: str | None = None) -> str:
    """percent | currency | integer | date | number | id | text; a declared `format:` wins."""
    if declared:
        return declared
    if kind == TEMPORAL:
        return "date"
    if kind == INTEGER and is_key_name(name):
        return "id"
    if kind in (FLOAT, INTEGER):
        words = _words(name)
        if kind == FLOAT and words & _RATE_WORDS:
            return "percent"
        if words & _MONEY_WORDS:
            return "currency"
        return "integer" if kind == INTEGER else "number"
    return "text"


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def number_of(value: Any) -> float | None:
    """A finite float for plotting, or None (NULL, NaN, infinities, text)."""
    return _number(value)


def format_date(value: date) -> str:
    """A date as a date; a timestamp at midnight (UTC or no zone) as its date; other timestamps without `+00:00`."""
    if not isinstance(value, datetime):
        return value.isoformat()
    utc = value.tzinfo is None or value.utcoffset() == timezone.utc.utcoffset(None)
    if utc and value.time() == datetime.min.time():
        return value.date().isoformat()
    text = value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    return text if utc else text + value.strftime(" %z")


def format_plain(value: Any) -> str:
    """A number without a declared format: integers with separators, others with 4 significant digits (or cents)."""
    number = _number(value)
    if number is None:
        return "NULL" if value is None else str(value)
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    if abs(number) >= 100:
        return f"{number:,.2f}"
    return f"{number:.4g}"


def format_value(value: Any, fmt: str) -> str:
    """One cell or label as text, in the column's format."""
    if value is None:
        return "NULL"
    if isinstance(value, (date, datetime)):
        return format_date(value)
    number = _number(value)
    if fmt == "id" and number is not None and number == int(number):
        return str(int(number))
    if fmt == "percent" and number is not None:
        return f"{number * 100:.1f}%"
    if fmt == "currency" and number is not None:
        return f"{number:,.2f}"
    if fmt == "integer" and number is not None:
        return f"{round(number):,}"
    if fmt in ("number", "date") and number is not None:
        return format_plain(value)
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return str(value)


def format_tick(value: float, fmt: str) -> str:
    """An axis tick: short (12.5k, 1.2M), a percentage for rates."""
    if fmt == "percent":
        return f"{value * 100:.3g}%"
    magnitude = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"
