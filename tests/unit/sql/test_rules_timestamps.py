"""An instant (TIMESTAMPTZ) meeting a DATE or wall-clock time (found by the differential fuzzer): BigQuery has no
implicit cast between them; the same minimal queries run through ZetaSQL in tests/integration/fuzz."""

from __future__ import annotations

from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.rules.timestamps import (
    instant_diff_counts_boundaries,
    instant_plus_months_via_datetime,
    wall_clock_meets_instant_in_utc,
)


def test_duckdb_compares_an_instant_with_a_date_at_utc_midnight():
    setup = "CREATE TABLE s AS SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' AS ts UNION ALL " \
            "SELECT TIMESTAMPTZ '2023-12-31 23:59:59+00'"
    assert duckdb_rows("SELECT COUNT(*) FROM s WHERE ts >= DATE '2024-01-01'", setup) == [(1,)]


def test_date_compared_with_an_instant_is_cast_on_bigquery():
    sql = "SELECT COUNT(*) AS n FROM fact_sales WHERE order_ts >= DATE '2024-01-01'"
    wrong = compile_without(wall_clock_meets_instant_in_utc, sql, "bigquery").sql
    assert wrong.endswith("WHERE order_ts >= CAST('2024-01-01' AS DATE)")  # TIMESTAMP >= DATE: no such operator
    assert compile_sql(sql, "bigquery").sql.endswith(
        "WHERE order_ts >= CAST(CAST('2024-01-01' AS DATE) AS TIMESTAMP)")
    assert compile_sql(sql, "snowflake").sql.endswith("WHERE order_ts >= CAST('2024-01-01' AS DATE)")


def test_date_minus_interval_against_an_instant():
    sql = "SELECT COUNT(*) AS n FROM fact_sales WHERE order_ts >= order_date - INTERVAL 30 DAY"
    wrong = compile_without(wall_clock_meets_instant_in_utc, sql, "bigquery").sql
    assert wrong.endswith("order_ts >= order_date - INTERVAL '30' DAY")  # TIMESTAMP >= DATETIME on BigQuery
    assert compile_sql(sql, "bigquery").sql.endswith("order_ts >= CAST(order_date - INTERVAL '30' DAY AS TIMESTAMP)")


def test_branches_and_alternatives_get_one_type():
    sql = ("SELECT COALESCE(order_ts, order_date) AS a, NULLIF(order_date + INTERVAL 1 DAY, order_ts) AS b "
           "FROM fact_sales")
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT COALESCE(order_ts, CAST(order_date AS TIMESTAMP)) AS a, "
        "NULLIF(CAST(order_date + INTERVAL '1' DAY AS TIMESTAMP), order_ts) AS b FROM fact_sales")
    dates_only = "SELECT COALESCE(order_date, signup_date) AS a FROM fact_sales, dim_customer"
    assert "TIMESTAMP" not in compile_sql(dates_only, "bigquery").sql  # no instant: nothing to cast


def test_date_diff_on_instants_counts_boundaries():
    # DuckDB counts boundaries: 23:30 -> 00:00 is one day, 10:59 -> 11:00 one hour (BigQuery's whole units: 0, 0).
    assert duckdb_rows("SELECT date_diff('day', TIMESTAMPTZ '2023-12-31 23:30:00+00', TIMESTAMPTZ '2024-01-01 00:00:00+00'), "
                       "date_diff('hour', TIMESTAMPTZ '2024-01-01 10:59:00+00', TIMESTAMPTZ '2024-01-01 11:00:00+00')") \
        == [(1, 1)]
    sql = ("SELECT date_diff('day', order_ts, TIMESTAMPTZ '2024-01-01 00:00:00+00') AS d, "
           "date_diff('hour', order_ts, TIMESTAMPTZ '2024-01-01 00:00:00+00') AS h FROM fact_sales")
    wrong = compile_without(instant_diff_counts_boundaries, sql, "bigquery").sql
    assert "DATE_DIFF(CAST('2024-01-01 00:00:00+00' AS TIMESTAMP), order_ts, DAY)" in wrong
    right = compile_sql(sql, "bigquery").sql
    assert "DATE_DIFF(CAST(CAST('2024-01-01 00:00:00+00' AS TIMESTAMP) AS DATE), CAST(order_ts AS DATE), DAY)" in right
    assert ("DATE_DIFF(TIMESTAMP_TRUNC(CAST('2024-01-01 00:00:00+00' AS TIMESTAMP), HOUR), "
            "TIMESTAMP_TRUNC(order_ts, HOUR), HOUR)") in right
    dates = compile_sql("SELECT date_diff('day', order_date, DATE '2024-03-01') AS d FROM fact_sales", "bigquery").sql
    assert dates == "SELECT DATE_DIFF(CAST('2024-03-01' AS DATE), order_date, DAY) AS d FROM fact_sales"  # unchanged


def test_months_added_to_an_instant_go_through_the_utc_wall_clock():
    assert duckdb_rows("SELECT TIMESTAMPTZ '2024-01-31 10:00:00+00' + INTERVAL 1 MONTH") == duckdb_rows(
        "SELECT TIMESTAMPTZ '2024-02-29 10:00:00+00'")  # on the calendar, clamped to the month's end
    sql = "SELECT order_ts + INTERVAL 1 MONTH AS a, order_ts - INTERVAL 2 DAY AS b FROM fact_sales"
    wrong = compile_without(instant_plus_months_via_datetime, sql, "bigquery").sql
    assert "order_ts + INTERVAL '1' MONTH" in wrong  # BigQuery: no MONTH intervals on TIMESTAMP
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT CAST(CAST(order_ts AS DATETIME) + INTERVAL '1' MONTH AS TIMESTAMP) AS a, "
        "order_ts - INTERVAL '2' DAY AS b FROM fact_sales")  # days stay on the TIMESTAMP


def test_months_added_twice_to_an_instant():
    # Found by the differential fuzzer: the outer rewrite copied the inner `+ INTERVAL` before it was rewritten.
    sql = "SELECT (order_ts - INTERVAL 1 MONTH) - INTERVAL 1 MONTH AS a FROM fact_sales"
    compiled = compile_sql(sql, "bigquery").sql
    assert compiled.count("AS DATETIME)") == 2 and "order_ts - INTERVAL" not in compiled
