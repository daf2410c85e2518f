"""The Snowflake oracle's model of what fakesnow gets wrong: exact division at Snowflake's scale, typed TO_CHAR."""

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
