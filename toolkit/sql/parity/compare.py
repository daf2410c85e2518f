"""Compare two query results the way parity needs: pure, no engine, no I/O.

Rules (each has a unit test in tests/unit/sql/test_parity_compare.py):
- Rows are compared as a multiset unless the query has a top-level ORDER BY (`order_spec`); then positions matter,
  except that rows tied on every ORDER BY key may come in any order (engines break ties differently), and so may
  rows whose first differing ORDER BY key is a float tie within the tolerance (float sums differ in the last bits; an
  exact DECIMAL tie in the reference is such a tie when the engine returns that key as a float).
- Columns are matched by position; names are compared case-insensitively (Snowflake upper-cases unquoted names),
  and only when both sides give a real name (`f0_`, `$col1`, `count_star()` are engine-made names, not compared).
- NULL equals NULL; NaN equals NaN; -0.0 equals 0.0.
- Integers and decimals are exact, compared by value: BigQuery NUMERIC's 6869.570000000 is DuckDB's 6869.57, but
  NUMERIC's 1.234560000 is not DECIMAL(18, 3)'s 1.235 (no rounding to the coarser scale: that would hide a lost
  or missing rounding, the very difference a rule such as `decimal_scale` fixes).
- A float against a float, an integer or a decimal (fakesnow sums NUMBER as DOUBLE): relative tolerance
  (`kpi.relative_tolerance`, default 1e-9), plus an absolute floor of 1e-12 so that 0.0 and 1e-17 (a difference of
  two float sums) are equal. A decimal that kept fewer digits than the float (Snowflake's fixed-point 1/3 =
  0.333333) is a mismatch.
- A DATE equals a TIMESTAMP at midnight of that day; timestamps with a zone are compared as UTC instants.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import pyarrow as pa

ABSOLUTE_FLOOR = 1e-12
MAX_SHOWN = 5
_GREEDY_LIMIT = 20_000  # rows; beyond this an unordered mismatch is reported without tolerant re-matching
_GENERATED_NAME = re.compile(r"^(\$col\d+|f\d+_|_col\d+|col\d+|column\d+)$", re.IGNORECASE)
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class OrderSpec:
    """How a query orders its rows: `ordered` when it has a top-level ORDER BY; `keys` are the output column
    positions of the ORDER BY keys when every key is an output column (ties may then come in any order)."""

    ordered: bool = False
    keys: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Comparison:
    status: str  # "pass" | "mismatch"
    message: str = ""
    columns: tuple[str, ...] = ()
    reference_rows: tuple[tuple[Any, ...], ...] = field(default_factory=tuple)  # first differing rows, side by side
    engine_rows: tuple[tuple[Any, ...], ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return self.status == "pass"


# -- values -------------------------------------------------------------------------------------------------------
def normalise(value: Any) -> Any:
    """One canonical Python value per meaning: aware datetimes -> naive UTC, lists/dicts recursively."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, (list, tuple)):
        return tuple(normalise(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k).lower(), normalise(v)) for k, v in value.items()))
    return value


def _is_float(value: Any) -> bool:
    return isinstance(value, float)


def _is_exact_number(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, Decimal)


def _floats_close(a: float, b: float, rel_tol: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= max(rel_tol * max(abs(a), abs(b)), ABSOLUTE_FLOOR)


def values_equal(a: Any, b: Any, rel_tol: float = 1e-9) -> bool:
    """Whether two cells mean the same value under the rules in the module docstring."""
    a, b = normalise(a), normalise(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_float(a) or _is_float(b):
        if not (_is_float(a) or _is_exact_number(a)) or not (_is_float(b) or _is_exact_number(b)):
            return False
        try:
            return _floats_close(float(a), float(b), rel_tol)
        except (OverflowError, ValueError):
            return False
    if _is_exact_number(a) and _is_exact_number(b):
        return Decimal(a) == Decimal(b)  # by value: 6869.570000000 (NUMERIC) is 6869.57, 1.235 is not 1.23456
    if isinstance(a, (date, datetime)) and isinstance(b, (date, datetime)):
        return _as_datetime(a) == _as_datetime(b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(values_equal(x, y, rel_tol) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _as_datetime(value: date) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def rows_equal(a: Sequence[Any], b: Sequence[Any], rel_tol: float = 1e-9) -> bool:
    return len(a) == len(b) and all(values_equal(x, y, rel_tol) for x, y in zip(a, b))


def format_value(value: Any) -> str:
    """How a cell is shown in a mismatch: NULL, floats with 15 significant digits, ISO dates."""
    value = normalise(value)
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else f"{value:.15g}"
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


def format_row(row: Sequence[Any]) -> str:
    return "(" + ", ".join(format_value(v) for v in row) + ")"


# -- sort and bucket keys -----------------------------------------------------------------------------------------
def _sort_key(value: Any) -> tuple[Any, ...]:
    value = normalise(value)
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, value)
    if _is_float(value) or _is_exact_number(value):
        number = float(value)
        if math.isnan(number):
            return (2, 0, 0.0)
        return (2, 1, float(f"{number:.6g}"))
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, (date, datetime)):
        return (4, _as_datetime(value))
    if isinstance(value, bytes):
        return (5, value)
    return (6, repr(value))


def _row_sort_key(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_sort_key(v) for v in row)


def _bucket_key(row: Sequence[Any]) -> tuple[Any, ...]:
    """The exact (non-numeric) part of a row: rows that may match under tolerance share it."""
    return tuple("#" if isinstance(normalise(v), (float, tuple)) or _is_exact_number(v) else _sort_key(v)
                 for v in row)


# -- tables -------------------------------------------------------------------------------------------------------
def table_rows(table: "pa.Table") -> list[tuple[Any, ...]]:
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return list(zip(*columns)) if columns else [() for _ in range(table.num_rows)]


def _real_name(name: str) -> bool:
    return bool(_PLAIN_NAME.match(name)) and not _GENERATED_NAME.match(name)


def _column_problem(reference: Sequence[str], actual: Sequence[str]) -> str | None:
    if len(reference) != len(actual):
        return (f"{len(actual)} columns ({', '.join(actual)}) where the reference has {len(reference)} "
                f"({', '.join(reference)})")
    for position, (left, right) in enumerate(zip(reference, actual), start=1):
        if _real_name(left) and _real_name(right) and left.lower() != right.lower():
            return f"column {position} is named {right!r} where the reference names it {left!r}"
    return None


def compare_tables(
    reference: "pa.Table",
    actual: "pa.Table",
    *,
    order: OrderSpec = OrderSpec(),
    relative_tolerance: float = 1e-9,
    engine: str = "engine",
) -> Comparison:
    """Compare `actual` against `reference` (see the module docstring for the rules)."""
    return compare_rows(
        reference.column_names, table_rows(reference), actual.column_names, table_rows(actual),
        order=order, relative_tolerance=relative_tolerance, engine=engine,
    )


def compare_rows(
    reference_columns: Sequence[str],
    reference_rows: Sequence[Sequence[Any]],
    actual_columns: Sequence[str],
    actual_rows: Sequence[Sequence[Any]],
    *,
    order: OrderSpec = OrderSpec(),
    relative_tolerance: float = 1e-9,
    engine: str = "engine",
) -> Comparison:
    columns = tuple(reference_columns)
    problem = _column_problem(list(reference_columns), list(actual_columns))
    if problem is not None:
        return Comparison("mismatch", f"{engine} returns {problem}", columns,
                          tuple(tuple(r) for r in reference_rows[:1]), tuple(tuple(r) for r in actual_rows[:1]))
    if len(reference_rows) != len(actual_rows):
        left, right = _unmatched(reference_rows, actual_rows, relative_tolerance)
        return Comparison(
            "mismatch", f"{engine} returns {len(actual_rows)} rows where the reference has {len(reference_rows)}",
            columns, tuple(left[:MAX_SHOWN]), tuple(right[:MAX_SHOWN]),
        )
    if order.ordered:
        return _compare_ordered(columns, reference_rows, actual_rows, order, relative_tolerance, engine)
    left, right = _unmatched(reference_rows, actual_rows, relative_tolerance)
    if not left and not right:
        return Comparison("pass", "", columns)
    return Comparison(
        "mismatch",
        f"{len(left)} of {len(reference_rows)} rows differ (order-insensitive); "
        f"first: reference {format_row(left[0])} vs {engine} {format_row(right[0])}",
        columns, tuple(left[:MAX_SHOWN]), tuple(right[:MAX_SHOWN]),
    )


def _compare_ordered(
    columns: tuple[str, ...],
    reference: Sequence[Sequence[Any]],
    actual: Sequence[Sequence[Any]],
    order: OrderSpec,
    rel_tol: float,
    engine: str,
) -> Comparison:
    keys = order.keys
    # keys the engine returns as floats: there an exact tie of the reference (DuckDB's DECIMAL sum) is a float tie
    # (fakesnow sums NUMBER as DOUBLE, so two equal revenues come back a few ulps apart and rank either way)
    float_keys = frozenset(k for k in keys or () if any(_is_float(normalise(row[k])) for row in actual))
    start = 0
    while start < len(reference):
        end = start + 1
        if keys:  # runs of rows that may swap (see `_may_swap`) form one group whose inner order is free
            while end < len(reference) and _may_swap(reference[end - 1], reference[end], keys, rel_tol, float_keys):
                end += 1
        left, right = _unmatched(reference[start:end], actual[start:end], rel_tol)
        if left or right:
            return Comparison(
                "mismatch",
                f"row {start + 1} differs (ordered by the query's ORDER BY): reference {format_row(left[0])} "
                f"vs {engine} {format_row(right[0])}",
                columns, tuple(tuple(r) for r in reference[start : start + MAX_SHOWN]),
                tuple(tuple(r) for r in actual[start : start + MAX_SHOWN]),
            )
        start = end
    return Comparison("pass", "", columns)


def _may_swap(
    a: Sequence[Any], b: Sequence[Any], keys: Sequence[int], rel_tol: float, float_keys: frozenset[int] = frozenset()
) -> bool:
    """Whether two adjacent rows may come in either order: they tie on every ORDER BY key, or the first key on which
    they differ at all is a float tie within the tolerance. Engines that sum floats in different orders get such a key
    a few ulps apart either way, and then it decides the order before any later key does (`ORDER BY revenue DESC,
    name` ranks two equal revenues by whichever engine's sum came out larger). A key in `float_keys` (a float on the
    engine) is such a float tie even where the reference's values are exact and equal."""
    for k in keys:
        left, right = normalise(a[k]), normalise(b[k])
        if _is_float(left) and _is_float(right) and (left == right or math.isnan(left) and math.isnan(right)):
            continue  # bit-equal floats: the next key decides
        if k in float_keys and _is_exact_number(left) and _is_exact_number(right) and left == right:
            return True  # an exact tie the engine computes in floats: its last bits decide, before any later key
        if not (_is_float(left) or _is_float(right)) and values_equal(left, right, rel_tol):
            continue  # exactly equal (non-float values compare exactly): the next key decides
        return (_is_float(left) or _is_float(right)) and values_equal(left, right, rel_tol)
    return True


def _unmatched(
    reference: Sequence[Sequence[Any]], actual: Sequence[Sequence[Any]], rel_tol: float
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Rows of each side without an equal partner on the other (a multiset difference under tolerance)."""
    left = sorted((tuple(r) for r in reference), key=_row_sort_key)
    right = sorted((tuple(r) for r in actual), key=_row_sort_key)
    if len(left) == len(right) and all(rows_equal(a, b, rel_tol) for a, b in zip(left, right)):
        return [], []
    if len(left) + len(right) > _GREEDY_LIMIT:
        pairs = [(a, b) for a, b in zip(left, right) if not rows_equal(a, b, rel_tol)]
        return [a for a, _ in pairs] + left[len(right):], [b for _, b in pairs] + right[len(left):]
    buckets: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for row in right:
        buckets.setdefault(_bucket_key(row), []).append(row)
    missing: list[tuple[Any, ...]] = []
    for row in left:
        candidates = buckets.get(_bucket_key(row), [])
        match = next((i for i, other in enumerate(candidates) if rows_equal(row, other, rel_tol)), None)
        if match is None:
            missing.append(row)
        else:
            candidates.pop(match)
    extra = sorted((row for rows in buckets.values() for row in rows), key=_row_sort_key)
    return missing, extra


# -- ORDER BY detection -------------------------------------------------------------------------------------------
def order_spec(sql: str, dialect: str) -> OrderSpec:
    """Whether `sql` (one query, refs rendered) has a top-level ORDER BY, and which output columns it sorts by."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except SqlglotError:
        return OrderSpec()
    if not isinstance(tree, exp.Query):
        return OrderSpec()
    ordering = tree.args.get("order")
    if not ordering:
        return OrderSpec()
    select = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select):
        return OrderSpec(ordered=True)
    projections = select.expressions
    names = [p.alias_or_name.lower() for p in projections]
    bodies = [(p.this if isinstance(p, exp.Alias) else p).sql(dialect=dialect).lower() for p in projections]
    keys: list[int] = []
    for ordered in ordering.expressions:
        key = ordered.this
        index: int | None = None
        if isinstance(key, exp.Literal) and key.is_int and 1 <= int(key.this) <= len(projections):
            index = int(key.this) - 1
        elif isinstance(key, exp.Column) and key.name.lower() in names:
            index = names.index(key.name.lower())
        elif key.sql(dialect=dialect).lower() in bodies:
            index = bodies.index(key.sql(dialect=dialect).lower())
        if index is None or any(isinstance(p, exp.Star) for p in projections):
            return OrderSpec(ordered=True, keys=None)
        keys.append(index)
    return OrderSpec(ordered=True, keys=tuple(keys))
