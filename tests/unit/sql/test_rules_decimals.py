"""Decimal literals and division result types: each rule shows what the target gets without it."""

from __future__ import annotations

from decimal import Decimal

from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.rules.arithmetic import integer_division
from toolkit.sql.rules.decimals import exact_decimal_literals

BOUNDARY = "SELECT sale_id FROM fact_sales WHERE discount_pct BETWEEN 0.1 - 0.05 AND 0.06 + 0.01"


def test_decimal_literals_are_exact_in_the_source():
    # DuckDB: DECIMAL arithmetic, 0.06 + 0.01 is exactly 0.07; in FLOAT64 (BigQuery's reading of `0.06`) it is not.
    assert duckdb_rows("SELECT typeof(0.06 + 0.01), 0.06 + 0.01 = 0.07, 0.06::DOUBLE + 0.01::DOUBLE < 0.07") == [
        ("DECIMAL(4,2)", True, True)]


def test_decimal_literals_become_numeric_on_bigquery():
    wrong = compile_without(exact_decimal_literals, BOUNDARY, "bigquery").sql
    assert wrong.endswith("BETWEEN 0.1 - 0.05 AND 0.06 + 0.01")  # FLOAT64 on BigQuery: drops discount 0.07
    right = compile_sql(BOUNDARY, "bigquery").sql
    assert right.endswith("BETWEEN CAST('0.1' AS NUMERIC) - CAST('0.05' AS NUMERIC) "
                          "AND CAST('0.06' AS NUMERIC) + CAST('0.01' AS NUMERIC)")
    # Snowflake reads `0.06` as NUMBER(3, 2) already: no rewrite there, and none for a Snowflake source either.
    assert compile_sql(BOUNDARY, "snowflake").sql.endswith("BETWEEN 0.1 - 0.05 AND 0.06 + 0.01")
    assert "CAST('0.06' AS NUMERIC)" in compile_sql(BOUNDARY, "bigquery", source="snowflake").sql


def test_integers_and_exponents_stay_plain_and_long_decimals_become_bignumeric():
    sql = "SELECT quantity * 2 AS a, discount_pct * 1e2 AS b, amount * 0.1234567891 AS c FROM fact_sales"
    text = compile_sql(sql, "bigquery").sql
    assert "quantity * 2 AS a" in text and "discount_pct * 1e2 AS b" in text
    assert "amount * CAST('0.1234567891' AS BIGNUMERIC) AS c" in text  # 10 decimals: more than NUMERIC's 9
    assert duckdb_rows("SELECT typeof(0.1234567891), typeof(1e2)") == [("DECIMAL(11,10)", "DOUBLE")]


def test_a_literal_too_long_for_a_decimal_stays_a_double():
    # 39 digits: DuckDB reads it as a DOUBLE, so there is nothing exact to keep (FLOAT64 on BigQuery too).
    assert duckdb_rows("SELECT typeof(0.123456789012345678901234567890123456789)") == [("DOUBLE",)]
    sql = "SELECT amount * 0.123456789012345678901234567890123456789 AS c FROM fact_sales"
    assert "amount * 0.123456789012345678901234567890123456789" in compile_sql(sql, "bigquery").sql


def test_ratio_of_a_decimal_product_is_double_on_snowflake(monkeypatch):
    # Contract (Snowflake docs, "Scale and precision in arithmetic operations", Division:
    # docs.snowflake.com/en/sql-reference/operators-arithmetic): NUMBER(L1.S1) / x has scale max(S1, min(S1 + 6, 12));
    # COUNT_IF(x) * 1.0 has scale 1, so the ratio keeps 7 decimals on Snowflake. fakesnow runs it in DuckDB and
    # cannot show this: the compiled text is the proof.
    sql = "SELECT channel, COUNT_IF(status = 'Cancelled') * 1.0 / COUNT(*) AS rate FROM fact_sales GROUP BY channel"
    right = compile_sql(sql, "snowflake").sql
    assert right.startswith("SELECT channel, CAST(SUM(CASE WHEN status = 'Cancelled' THEN 1")
    assert right.endswith(" * 1.0 AS DOUBLE) / COUNT(*) AS rate FROM fact_sales GROUP BY channel")
    typed = "SELECT channel, SUM(quantity) * 1.0 / COUNT(*) AS q FROM fact_sales GROUP BY channel"
    assert "CAST(SUM(quantity) * 1.0 AS DOUBLE) / COUNT(*)" in compile_sql(typed, "snowflake").sql
    import toolkit.sql.rules.decimals as decimals

    monkeypatch.setattr(decimals, "type_decimal_literals", lambda tree, dialect: None)
    wrong = compile_sql(typed, "snowflake").sql  # sqlglot types `1.0` as DOUBLE: no cast, fixed-point division
    assert "SUM(quantity) * 1.0 / COUNT(*)" in wrong
    # What 7 decimals cost against DuckDB's DOUBLE: far above the parity tolerance (1e-9 relative).
    exact, snowflake_like = duckdb_rows("SELECT 1 * 1.0 / 3, CAST(1 * 1.0 / 3 AS DECIMAL(38, 7))")[0]
    assert abs(exact - float(snowflake_like)) / exact > 1e-9


def test_integer_division_truncates_toward_zero_like_duckdb():
    # DuckDB 2.0 `//` on integers truncates toward zero (not floor), and on non-integers it is plain `/` (DOUBLE).
    assert duckdb_rows("SELECT 7 // 2, -7 // 2, 7 // -2, -7 // -2, typeof(-7 // 2), 7.5 // 2, -7.5::DOUBLE // 2") == [
        (3, -3, -3, 3, "INTEGER", 3.75, -3.75)]
    sql = "SELECT quantity // customer_id AS q, amount // 2 AS a FROM fact_sales"
    wrong = compile_without(integer_division, sql, "snowflake").sql
    # sqlglot: TRUNC(a / b) over Snowflake's 6-decimal division, which rounds 999999999 / 1000000000 up to 1.000000
    assert "CAST(TRUNC(quantity / customer_id) AS BIGINT)" in wrong
    assert duckdb_rows("SELECT TRUNC(ROUND(999999999 / 1000000000, 6)), 999999999 // 1000000000") == [(1.0, 0)]
    snowflake = compile_sql(sql, "snowflake").sql
    assert snowflake == ("SELECT CAST((quantity - quantity % customer_id) / customer_id AS BIGINT) AS q, "
                         "CAST(amount AS DOUBLE) / 2 AS a FROM fact_sales")
    bigquery = compile_sql(sql, "bigquery").sql
    assert bigquery == "SELECT DIV(quantity, customer_id) AS q, CAST(amount AS FLOAT64) / 2 AS a FROM fact_sales"
    assert "DIV(amount, 2)" in compile_without(integer_division, sql, "bigquery").sql  # NUMERIC DIV: 3, not 3.75
    # The Snowflake form computes DuckDB's answers (MOD keeps the dividend's sign on both engines).
    pairs = "(VALUES (7, 2), (-7, 2), (7, -2), (-7, -2), (999999999, 1000000000), (NULL, 3)) v(a, b)"
    assert duckdb_rows(f"SELECT CAST((a - MOD(a, b)) / b AS BIGINT) FROM {pairs}") == duckdb_rows(
        f"SELECT a // b FROM {pairs}")


def test_integer_division_stays_as_written_on_duckdb():
    assert compile_sql("SELECT quantity // 2 AS q FROM fact_sales", "duckdb").sql == (
        "SELECT quantity // 2 AS q FROM fact_sales")


def test_decimal_cast_beyond_nine_decimals_is_bignumeric_on_bigquery():
    sql = "SELECT CAST(amount AS DECIMAL(20, 10)) / 3 AS d, CAST(amount AS DECIMAL(20, 4)) AS e FROM fact_sales"
    assert duckdb_rows("SELECT CAST(0.12345678912 AS DECIMAL(20, 10))") == [(Decimal("0.1234567891"),)]
    text = compile_sql(sql, "bigquery").sql
    assert "ROUND(CAST(amount AS BIGNUMERIC), 10)" in text  # NUMERIC would keep only 9 decimals
    assert "ROUND(CAST(amount AS NUMERIC), 4) AS e" in text
