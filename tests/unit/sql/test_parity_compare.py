"""Parity comparison rules: tolerances, NULL/NaN, decimal vs float, dates, order sensitivity, column names."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pyarrow as pa
import pytest

from toolkit.sql.parity.compare import OrderSpec, compare_rows, compare_tables, order_spec, values_equal


# -- cells --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (None, None, True),
        (None, 0, False),
        (0, None, False),
        (math.nan, math.nan, True),
        (math.nan, 0.0, False),
        (0.0, -0.0, True),
        (1.0, 1.0 + 1e-12, True),  # within relative 1e-9
        (1e6, 1e6 * (1 + 5e-10), True),
        (1.0, 1.0001, False),
        (1e6, 1e6 + 1, False),
        (0.0, 1e-17, True),  # absolute floor: a difference of two float sums
        (0.0, 1e-6, False),
        (3, 3, True),  # integers exact
        (3, 4, False),
        (10**18, 10**18 + 1, False),  # no float rounding of big integers
        (3, 3.0000000001, True),  # BigQuery ROUND(INT64) is FLOAT64
        (Decimal("1.10"), Decimal("1.1"), True),  # same value, same meaning
        (Decimal("1.11"), Decimal("1.12"), False),  # decimals exact
        (Decimal("6869.570000000"), Decimal("6869.57"), True),  # BigQuery NUMERIC (9) vs DECIMAL(38, 2)
        (Decimal("1.234560000"), Decimal("1.235"), False),  # NUMERIC unrounded vs DECIMAL(18, 3): not equal
        (Decimal("2.333333333"), Decimal("2.33"), False),  # no rounding to the coarser scale
        (Decimal("-2.340000000"), Decimal("-2.34"), True),
        (Decimal("2484.49"), 2484.4899999999993, True),  # fakesnow sums NUMBER as DOUBLE
        (Decimal("2484.49"), 2484.5, False),
        (Decimal("0.333333"), 1 / 3, False),  # Snowflake's 6-decimal 1/3 is not the source's DOUBLE 1/3
        (Decimal("0.333333333333333333"), 1 / 3, True),
        (Decimal("298.676956522"), 298.67695652173916, True),
        (5, Decimal("5.00"), True),
        (5, Decimal("5.01"), False),
        (date(2024, 1, 1), datetime(2024, 1, 1), True),  # DATE vs TIMESTAMP at midnight
        (date(2024, 1, 1), datetime(2024, 1, 1, 1), False),
        (datetime(2024, 1, 1, 12, tzinfo=timezone.utc), datetime(2024, 1, 1, 12), True),
        (datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))), datetime(2024, 1, 1, 10), True),
        ("a", "a", True),
        ("a", "A", False),  # text is exact
        (True, 1, False),  # a boolean is not a number
        (True, True, True),
        ([1, 2], [1, 2.0000000000001], True),
    ],
)
def test_values_equal(left, right, equal):
    assert values_equal(left, right) is equal
    assert values_equal(right, left) is equal  # symmetric


def test_relative_tolerance_is_configurable():
    assert not values_equal(1.0, 1.000001)
    assert values_equal(1.0, 1.000001, rel_tol=1e-5)


# -- rows ---------------------------------------------------------------------------------------------------------
def _table(**columns):
    return pa.table(columns)


def test_order_insensitive_without_order_by():
    reference = _table(category=["a", "b", None], revenue=[1.5, 2.5, 3.0])
    actual = _table(category=[None, "b", "a"], revenue=[3.0, 2.5, 1.5])
    assert compare_tables(reference, actual).passed


def test_mismatch_shows_both_rows_side_by_side():
    reference = _table(category=["a", "b"], revenue=[1.5, 2.5])
    actual = _table(category=["a", "b"], revenue=[1.5, 0.0])
    result = compare_tables(reference, actual, engine="snowflake")
    assert result.status == "mismatch"
    assert result.reference_rows == (("b", 2.5),)
    assert result.engine_rows == (("b", 0.0),)
    assert "reference (b, 2.5) vs snowflake (b, 0)" in result.message


def test_ordered_comparison_catches_a_different_null_position():
    reference = _table(payment_method=["card", "paypal", None], lines=[3, 2, 1])
    actual = _table(payment_method=[None, "card", "paypal"], lines=[1, 3, 2])
    assert compare_tables(reference, actual).passed  # same rows...
    result = compare_tables(reference, actual, order=OrderSpec(ordered=True, keys=(0,)), engine="bigquery")
    assert result.status == "mismatch"  # ...in another order
    assert "row 1 differs" in result.message
    assert result.reference_rows[0] == ("card", 3) and result.engine_rows[0] == (None, 1)


def test_rows_tied_on_every_order_key_may_come_in_any_order():
    reference = _table(n=[2, 1, 1, 0], name=["x", "a", "b", "z"])
    actual = _table(n=[2, 1, 1, 0], name=["x", "b", "a", "z"])
    assert compare_tables(reference, actual, order=OrderSpec(ordered=True, keys=(0,))).passed
    strict = compare_tables(reference, actual, order=OrderSpec(ordered=True, keys=None))
    assert strict.status == "mismatch"  # keys unknown: every position matters


def test_row_count_difference():
    result = compare_tables(_table(a=[1, 2, 3]), _table(a=[1, 2]))
    assert result.status == "mismatch" and "2 rows where the reference has 3" in result.message
    assert result.reference_rows == ((3,),) and result.engine_rows == ()


def test_duplicate_rows_count_as_a_multiset():
    assert compare_tables(_table(a=[1, 1, 2]), _table(a=[1, 2, 2])).status == "mismatch"


def test_tolerant_matching_across_the_sort_rounding_boundary():
    # Rows are sorted on floats rounded to 6 digits before pairing: 1.0000050000001 and 1.0000049999999 are equal
    # within 1e-9 but round to 1.00001 and 1.0, so the sorted pairs do not line up and re-matching must pair them.
    reference = _table(v=[1.0000050000001, 1.000003], k=["x", "y"])
    actual = _table(v=[1.0000049999999, 1.000003], k=["x", "y"])
    assert compare_tables(reference, actual).passed
    assert compare_tables(reference, _table(v=[1.0000049, 1.000003], k=["x", "y"])).status == "mismatch"


def test_column_names_compare_case_insensitively():
    assert compare_tables(_table(revenue=[1]), _table(REVENUE=[1])).passed
    renamed = compare_tables(_table(revenue=[1]), _table(sales=[1]))
    assert renamed.status == "mismatch" and "'sales'" in renamed.message


def test_engine_made_names_are_not_compared():
    assert compare_rows(["n"], [(1,)], ["$col1"], [(1,)]).passed
    assert compare_rows(["count_star()"], [(1,)], ["COUNT(*)"], [(1,)]).passed
    assert compare_rows(["f0_"], [(1,)], ["n"], [(1,)]).passed


def test_column_count_difference():
    result = compare_tables(_table(a=[1], b=[2]), _table(a=[1]))
    assert result.status == "mismatch" and "1 columns" in result.message


def test_decimal_and_float_columns_compare_by_value():
    reference = pa.table({"revenue": pa.array([Decimal("10.10"), Decimal("0.30")], pa.decimal128(12, 2))})
    actual = pa.table({"REVENUE": pa.array([0.1 + 0.2, 10.1])})
    assert compare_tables(reference, actual).passed


def test_empty_results_are_equal():
    assert compare_rows(["a"], [], ["A"], []).passed


# -- ORDER BY detection -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a, b FROM t", OrderSpec()),
        ("SELECT a, SUM(b) AS s FROM t GROUP BY a ORDER BY s DESC, a", OrderSpec(True, (1, 0))),
        ("SELECT a, SUM(b) FROM t GROUP BY 1 ORDER BY 1", OrderSpec(True, (0,))),
        ("SELECT a, b FROM t ORDER BY b + 1", OrderSpec(True, None)),  # not an output column: strict order
        ("SELECT a, b FROM t ORDER BY c", OrderSpec(True, None)),
        ("SELECT * FROM t ORDER BY a", OrderSpec(True, None)),
        ("WITH x AS (SELECT a FROM t ORDER BY a LIMIT 3) SELECT a FROM x", OrderSpec()),  # only a CTE orders
        ("SELECT a, SUM(b) OVER (ORDER BY a) AS s FROM t", OrderSpec()),  # a window order is not a row order
        ("SELECT UPPER(a), b FROM t ORDER BY UPPER(a)", OrderSpec(True, (0,))),
        ("SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY a", OrderSpec(True, (0,))),
        ("not sql at all (", OrderSpec()),
    ],
)
def test_order_spec(sql, expected):
    assert order_spec(sql, "duckdb") == expected


def test_array_cells_compare_with_tolerance_in_any_row_order():
    reference = pa.table({"k": ["a", "b"], "values": [[1.0, 2.0], [3.0]]})
    actual = pa.table({"k": ["b", "a"], "values": [[3.0], [1.0, 2.0 + 1e-13]]})
    assert compare_tables(reference, actual).passed


# -- float ties in ORDER BY (issue 14.4) ---------------------------------------------------------------------------
BASE = 1234.5678


def test_rows_whose_float_keys_differ_within_tolerance_may_swap():
    """Two engines summing in different orders get 1e-12 apart and rank the two rows oppositely: not a difference."""
    reference = [("a", BASE), ("b", BASE + 1e-12)]
    actual = [("b", BASE + 2e-12), ("a", BASE + 1e-12)]
    order = OrderSpec(ordered=True, keys=(1,))
    assert compare_rows(["k", "v"], reference, ["k", "v"], actual, order=order).passed


def test_float_tie_then_a_decisive_second_key_may_still_swap():
    """ORDER BY revenue DESC, name: when the revenues tie within tolerance, which engine's revenue is larger decides the
    order before the name does, so either order is right."""
    reference = [(BASE, "a"), (BASE - 1e-12, "b")]
    actual = [(BASE, "b"), (BASE - 1e-12, "a")]
    order = OrderSpec(ordered=True, keys=(0, 1))
    assert compare_rows(["v", "k"], reference, ["v", "k"], actual, order=order).passed


def test_rows_whose_float_keys_differ_beyond_tolerance_keep_their_order():
    reference = [("a", BASE), ("b", BASE + 1e-3)]
    actual = [("b", BASE + 1e-3), ("a", BASE)]
    order = OrderSpec(ordered=True, keys=(1,))
    result = compare_rows(["k", "v"], reference, ["k", "v"], actual, order=order)
    assert result.status == "mismatch" and "row 1 differs" in result.message


def test_an_exact_first_key_with_a_different_second_key_keeps_its_order():
    reference = [(BASE, "a"), (BASE, "b")]
    actual = [(BASE, "b"), (BASE, "a")]
    order = OrderSpec(ordered=True, keys=(0, 1))
    assert compare_rows(["v", "k"], reference, ["v", "k"], actual, order=order).status == "mismatch"


def test_an_exact_tie_in_the_reference_may_swap_when_the_engine_sums_it_as_float():
    """fakesnow sums NUMBER as DOUBLE: two customers with the same exact revenue (DuckDB's DECIMAL 464.95) come back a
    few ulps apart, so `ORDER BY revenue DESC, customer_id` ranks them by the float sum, not by the id. Seen at 500 k
    orders on the shipped `revenue_by_customer`; the engine's own float tie decides its order."""
    reference = [(Decimal("464.95"), 40166), (Decimal("464.95"), 45434)]
    actual = [(464.95000000000005, 45434), (464.95, 40166)]
    order = OrderSpec(ordered=True, keys=(0, 1))
    assert compare_rows(["revenue", "id"], reference, ["revenue", "id"], actual, order=order).passed


def test_an_exact_tie_in_the_reference_is_one_group_when_the_engine_sums_one_row_lower():
    """The customer with two orders sums to 278.96999999999997 on the engine and ranks after the others, whose single
    order is exactly 278.97 and who keep their id order: the whole tied run is one group."""
    reference = [(Decimal("278.97"), 31291), (Decimal("278.97"), 35737), (Decimal("278.97"), 37945),
                 (Decimal("278.97"), 65387), (Decimal("100.00"), 1)]
    actual = [(278.97, 35737), (278.97, 37945), (278.97, 65387), (278.96999999999997, 31291), (100.0, 1)]
    order = OrderSpec(ordered=True, keys=(0, 1))
    assert compare_rows(["revenue", "id"], reference, ["revenue", "id"], actual, order=order).passed
    wrong = [(278.97, 35737), (278.97, 37945), (278.97, 65387), (278.96999999999997, 31290), (100.0, 1)]
    assert compare_rows(["revenue", "id"], reference, ["revenue", "id"], wrong, order=order).status == "mismatch"
