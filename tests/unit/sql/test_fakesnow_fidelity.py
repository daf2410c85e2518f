"""The Snowflake oracle's model of what fakesnow gets wrong: exact division at Snowflake's scale, typed TO_CHAR with
case-insensitive elements, FLOAT::INTEGER rounding, RATIO_TO_REPORT."""

from __future__ import annotations

import pyarrow as pa

from toolkit.sql.parity.fakesnow_fidelity import faithful_snowflake_sql

TABLES = {"fact_sales": pa.table({"quantity": pa.array([1, 2], pa.int32()),
                                  "order_date": pa.array([0, 1], pa.int32()).cast(pa.date32()),
                                  "discount_pct": pa.array([0.5, 1.5])})}


def test_exact_division_keeps_snowflakes_scale():
    sql = "SELECT SUM(quantity) / COUNT(*) AS a FROM ANALYTICS.GOLD.FACT_SALES"
    assert faithful_snowflake_sql(sql, TABLES) == (
        "SELECT CAST(ROUND(CAST(SUM(quantity) AS DOUBLE) / COUNT(*), 6) AS DECIMAL(38, 6)) AS a FROM FACT_SALES")


def test_to_char_operand_is_typed_and_float_division_is_left_alone():
    sql = "SELECT TO_CHAR(MIN(order_date), 'YYYY-MM') AS m, discount_pct / 2 AS d FROM fact_sales"
    assert faithful_snowflake_sql(sql, TABLES) == (
        "SELECT TO_CHAR(CAST(MIN(order_date) AS DATE), 'YYYY-MM') AS m, discount_pct / 2 AS d FROM fact_sales")
    assert faithful_snowflake_sql("SELECT discount_pct / 2 AS d FROM fact_sales", TABLES) == (
        "SELECT discount_pct / 2 AS d FROM fact_sales")  # nothing to restate: the text is unchanged


def test_to_char_elements_are_upper_cased_outside_quoted_text():
    # Snowflake: 'Mon YYYY' prints 'Jun 2024'; fakesnow (through sqlglot) knows only upper-case elements.
    sql = """SELECT TO_CHAR(order_date, 'Mon yyyy "of" dy') AS m FROM fact_sales"""
    assert faithful_snowflake_sql(sql, TABLES) == (
        """SELECT TO_CHAR(CAST(order_date AS DATE), 'MON YYYY "of" DY') AS m FROM fact_sales""")


def test_float_to_integer_cast_rounds_half_away_from_zero():
    sql = "SELECT SUM((discount_pct * 10)::INTEGER) AS t FROM fact_sales"
    assert faithful_snowflake_sql(sql, TABLES) == (
        "SELECT SUM(CAST(ROUND(discount_pct * 10) AS INT)) AS t FROM fact_sales")


def test_ratio_to_report_is_spelled_out_and_one_with_order_by_is_left_to_fakesnow():
    sql = "SELECT RATIO_TO_REPORT(quantity) OVER (PARTITION BY order_date) AS r FROM fact_sales"
    assert faithful_snowflake_sql(sql, TABLES) == (
        "SELECT (CAST(ROUND(CAST(quantity AS DOUBLE) / NULLIF(SUM(quantity) OVER (PARTITION BY order_date), 0), 6) "
        "AS DECIMAL(38, 6))) AS r FROM fact_sales")
    ordered = "SELECT RATIO_TO_REPORT(quantity) OVER (ORDER BY order_date) AS r FROM fact_sales"
    assert faithful_snowflake_sql(ordered, TABLES) == ordered  # Snowflake refuses it too: fakesnow's error stands


def test_avg_of_a_number_keeps_snowflakes_scale():
    sql = "SELECT AVG(quantity) AS a, AVG(discount_pct) AS f FROM fact_sales"
    assert faithful_snowflake_sql(sql, TABLES) == (
        "SELECT CAST(ROUND(CAST(SUM(quantity) AS DOUBLE) / COUNT(quantity), 6) AS DECIMAL(38, 6)) AS a, "
        "AVG(discount_pct) AS f FROM fact_sales")
