"""Division, AVG, ROUND, DECIMAL and casts: each rule shows what the target gets without it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.arithmetic import (
    avg_as_double,
    decimal_scale,
    float_division,
    float_to_int_cast,
    integer_division_as_float,
    round_integer_type,
    safe_division,
    zero_division_ieee,
)


def test_integer_division_is_floating_point_on_snowflake():
    sql = "SELECT quantity / NULLIF(sale_id, 0) AS r FROM fact_sales"
    wrong = compile_without(float_division, sql, "snowflake").sql
    # Snowflake: NUMBER with 6 decimals, 1/3 = 0.333333
    assert wrong == "SELECT quantity / NULLIF(sale_id, 0) AS r FROM fact_sales"
    right = compile_sql(sql, "snowflake").sql
    assert right == "SELECT CAST(quantity AS DOUBLE) / NULLIF(sale_id, 0) AS r FROM fact_sales"
    bigquery = compile_sql(sql, "bigquery").sql
    assert bigquery == "SELECT CAST(quantity AS FLOAT64) / NULLIF(sale_id, 0) AS r FROM fact_sales"


def test_fixed_point_division_loses_digits():
    # What Snowflake's fixed-point 1/3 keeps (scale 6) against the source's DOUBLE: not within 1e-9.
    exact = duckdb_rows("SELECT 1 / 3")[0][0]
    snowflake_like = float(duckdb_rows("SELECT CAST(1 / 3 AS DECIMAL(38, 6))")[0][0])
    assert abs(exact - snowflake_like) / exact > 1e-9


def test_bigquery_integer_division_stays_floating_point_on_snowflake():
    # BigQuery INT64 / INT64 is FLOAT64; Snowflake would keep a NUMBER with 6 decimals (see the test above).
    sql = "SELECT COUNTIF(status = 'Cancelled') / COUNT(*) AS rate FROM fact_sales"
    wrong = compile_without(integer_division_as_float, sql, "snowflake", source="bigquery").sql
    assert wrong == "SELECT COUNT(CASE WHEN status = 'Cancelled' THEN 1 END) / COUNT(*) AS rate FROM fact_sales"
    assert compile_sql(sql, "snowflake", source="bigquery").sql == (
        "SELECT CAST(COUNT(CASE WHEN status = 'Cancelled' THEN 1 END) AS DOUBLE) / COUNT(*) AS rate FROM fact_sales")


def test_decimal_division_is_double_not_numeric_on_bigquery():
    sql = "SELECT channel, SUM(amount) / COUNT(*) AS aov FROM fact_sales GROUP BY channel"
    wrong = compile_without(float_division, sql, "bigquery").sql
    assert wrong.startswith("SELECT channel, SUM(amount) / COUNT(*)")  # BigQuery: NUMERIC (9 decimals), not FLOAT64
    assert compile_sql(sql, "bigquery").sql.startswith("SELECT channel, CAST(SUM(amount) AS FLOAT64) / COUNT(*)")


def test_division_by_a_float_needs_no_cast():
    sql = "SELECT amount / NULLIF(discount_pct, 0) AS r FROM fact_sales"
    assert compile_sql(sql, "snowflake").sql == "SELECT amount / NULLIF(discount_pct, 0) AS r FROM fact_sales"


def test_safe_divide_becomes_nullif_never_div0():
    sql = "SELECT SAFE_DIVIDE(amount, quantity) AS r FROM fact_sales"
    wrong = compile_without(safe_division, sql, "snowflake", source="bigquery").sql
    assert "IFF(" in wrong and "NULLIF" not in wrong
    for engine in ("snowflake", "duckdb"):
        text = compile_sql(sql, engine, source="bigquery").sql
        assert "/ NULLIF(quantity, 0)" in text and "DIV0" not in text.upper(), text


def test_nullif_division_gives_null_not_zero():
    # DIV0 semantics (0) vs SAFE_DIVIDE semantics (NULL), shown on DuckDB.
    assert duckdb_rows("SELECT 5 / NULLIF(0, 0)") == [(None,)]
    assert duckdb_rows("SELECT CASE WHEN 0 = 0 THEN 0 ELSE 5 / 0 END") == [(0,)]


def test_avg_is_double_on_snowflake_and_bigquery():
    sql = "SELECT AVG(quantity) AS q FROM fact_sales"
    assert compile_without(avg_as_double, sql, "snowflake").sql == "SELECT AVG(quantity) AS q FROM fact_sales"
    assert compile_sql(sql, "snowflake").sql == "SELECT AVG(CAST(quantity AS DOUBLE)) AS q FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == "SELECT AVG(CAST(quantity AS FLOAT64)) AS q FROM fact_sales"


def test_round_of_integer_stays_integer_on_bigquery():
    sql = "SELECT ROUND(SUM(quantity), -1) AS q FROM fact_sales"
    wrong = compile_without(round_integer_type, sql, "bigquery").sql
    assert wrong == "SELECT ROUND(SUM(quantity), -1) AS q FROM fact_sales"  # FLOAT64 on BigQuery
    assert compile_sql(sql, "bigquery").sql == "SELECT CAST(ROUND(SUM(quantity), -1) AS INT64) AS q FROM fact_sales"
    assert compile_sql(sql, "snowflake").sql == "SELECT ROUND(SUM(quantity), -1) AS q FROM fact_sales"


def test_round_half_away_from_zero_in_the_source():
    # The semantics BigQuery and Snowflake share for DECIMAL and DOUBLE halves (no rewrite needed, pinned here).
    rows = duckdb_rows("SELECT ROUND(2.5), ROUND(-2.5), ROUND(2.5::DOUBLE), ROUND(-2.5::DOUBLE), ROUND(-0.125, 2)")
    assert rows == [(Decimal("3"), Decimal("-3"), 3.0, -3.0, Decimal("-0.13"))]


def test_decimal_cast_keeps_its_scale_on_bigquery():
    sql = "SELECT CAST(discount_pct AS DECIMAL) AS d FROM fact_sales"  # DuckDB: DECIMAL(18, 3)
    wrong = compile_without(decimal_scale, sql, "bigquery").sql
    assert wrong == "SELECT CAST(discount_pct AS NUMERIC) AS d FROM fact_sales"  # 9 decimals on BigQuery
    assert compile_sql(sql, "bigquery").sql == "SELECT ROUND(CAST(discount_pct AS NUMERIC), 3) AS d FROM fact_sales"
    assert "CAST(discount_pct AS DECIMAL(18, 3))" in compile_sql(sql, "snowflake").sql
    assert duckdb_rows("SELECT CAST(0.12345 AS DECIMAL)") == [(Decimal("0.123"),)]


def test_float_to_integer_cast_is_refused():
    sql = "SELECT\n  CAST(discount_pct * 10 AS INTEGER) AS d\nFROM fact_sales"
    assert "CAST(discount_pct * 10 AS INT64)" in compile_without(float_to_int_cast, sql, "bigquery").sql
    with pytest.raises(UnportableError) as info:
        compile_sql(sql, "bigquery")
    assert info.value.line == 2 and "ROUND" in str(info.value)
    assert duckdb_rows("SELECT CAST(2.5::DOUBLE AS INTEGER)") == [(2,)]  # half-even here, 3 on BigQuery
    ok = compile_sql("SELECT CAST(ROUND(discount_pct) AS INTEGER) AS d FROM fact_sales", "bigquery").sql
    assert "CAST(ROUND(discount_pct) AS INT64)" in ok


def test_division_by_zero_keeps_duckdbs_ieee_answer_instead_of_an_error():
    # DuckDB 2.0 (the source): int, decimal and double division by zero is IEEE, never an error and never NULL.
    assert duckdb_rows("SELECT 1 / 0, -1 / 0, CAST(1.5 AS DECIMAL(4, 1)) / 0, 1.0::DOUBLE / 0.0, NULL / 0") == [
        (float("inf"), float("-inf"), float("inf"), float("inf"), None)]
    assert duckdb_rows("SELECT isnan(0 / 0)") == [(True,)]
    sql = "SELECT quantity / (quantity - quantity) AS r FROM fact_sales"
    # Without the rule BigQuery and Snowflake get a plain `/`, which raises "division by zero" on both.
    wrong = compile_without(zero_division_ieee, sql, "bigquery").sql
    assert wrong == "SELECT CAST(quantity AS FLOAT64) / (quantity - quantity) AS r FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT IEEE_DIVIDE(CAST(quantity AS FLOAT64), (quantity - quantity)) AS r FROM fact_sales")
    snowflake = compile_sql(sql, "snowflake").sql
    assert snowflake == (
        "SELECT CASE WHEN (quantity - quantity) = 0 THEN CAST(quantity AS DOUBLE) * CAST('inf' AS DOUBLE) "
        "ELSE CAST(quantity AS DOUBLE) / (quantity - quantity) END AS r FROM fact_sales")
    # The Snowflake form computes DuckDB's answers (IEEE float arithmetic, as on Snowflake FLOAT).
    form = ("SELECT CASE WHEN y = 0 THEN CAST(x AS DOUBLE) * CAST('inf' AS DOUBLE) ELSE CAST(x AS DOUBLE) / y END "
            "FROM (VALUES (1, 0), (-2, 0), (NULL, 0), (3, 2)) v(x, y)")
    assert duckdb_rows(form) == duckdb_rows("SELECT x / y FROM (VALUES (1, 0), (-2, 0), (NULL, 0), (3, 2)) v(x, y)")
    assert compile_sql(sql, "duckdb").sql == "SELECT quantity / (quantity - quantity) AS r FROM fact_sales"


def test_divisions_that_cannot_hit_zero_stay_plain():
    sql = ("SELECT channel, SUM(quantity) / COUNT(*) AS a, SUM(quantity) / NULLIF(SUM(quantity), 0) AS b, "
           "SUM(quantity) / 2 AS c FROM fact_sales GROUP BY channel")
    for engine in ("bigquery", "snowflake"):
        text = compile_sql(sql, engine).sql
        assert "IEEE_DIVIDE" not in text and "'inf'" not in text, text
    # COUNT(*) over a whole table can be 0 (no rows): that one keeps the IEEE form.
    ungrouped = compile_sql("SELECT SUM(quantity) / COUNT(*) AS a FROM fact_sales", "bigquery").sql
    assert "IEEE_DIVIDE(" in ungrouped


def test_a_text_divisor_keeps_the_operator_for_the_engine_to_reject():
    assert compile_sql("SELECT amount / 'two' AS h FROM fact_sales", "bigquery").sql == (
        "SELECT CAST(amount AS FLOAT64) / 'two' AS h FROM fact_sales")
    assert "IEEE_DIVIDE" not in compile_sql("SELECT amount / status AS h FROM fact_sales", "bigquery").sql


def test_float_rounded_to_decimals_then_cast_to_integer_is_refused():
    # Found by the differential fuzzer: ROUND(x, 2) is not a whole number, so the cast still rounds (half-even here).
    assert duckdb_rows("SELECT CAST(ROUND(0.5::DOUBLE, 2) AS INTEGER), CAST(ROUND(0.5::DOUBLE, 0) AS INTEGER)") == [
        (0, 1)]
    with pytest.raises(UnportableError):
        compile_sql("SELECT CAST(ROUND(discount_pct, 2) AS INTEGER) AS d FROM fact_sales", "bigquery")
    for whole in ("ROUND(discount_pct, 0)", "ROUND(discount_pct, -1)", "FLOOR(discount_pct)"):
        assert "AS INT64)" in compile_sql(f"SELECT CAST({whole} AS INTEGER) AS d FROM fact_sales", "bigquery").sql
