"""DuckDB treats a DATE as its midnight TIMESTAMP where a truncation or a format reads the time of day (issue 13 items
1 and 2): the compiled text keeps that TIMESTAMP. ZetaSQL runs the same queries in tests/integration/fuzz."""

from __future__ import annotations

from datetime import date, datetime

from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.rules.duckdb_source import (
    date_arithmetic_as_operators,
    date_formatted_with_a_clock,
    date_part_as_extract,
    epoch_functions,
    last_day_of_an_instant,
    parse_time_verbatim,
    timestamp_text_as_duckdb_prints,
    truncated_date_read_as_timestamp,
    week_difference_whole_weeks,
)

READS_A_CLOCK = ("SELECT date_trunc('hour', date_trunc('month', order_date)) AS h, "
                 "EXTRACT(HOUR FROM date_trunc('month', order_date)) AS x, "
                 "CAST(date_trunc('month', order_date) AS VARCHAR) AS s, "
                 "date_trunc('month', order_date) AS m FROM fact_sales")


def test_duckdb_truncation_of_a_date_is_a_midnight_timestamp():
    rows = duckdb_rows("SELECT typeof(date_trunc('month', DATE '2024-03-05')), "
                       "CAST(date_trunc('month', DATE '2024-03-05') AS VARCHAR), "
                       "EXTRACT(HOUR FROM date_trunc('month', DATE '2024-03-05'))")
    assert rows == [("TIMESTAMP", "2024-03-01 00:00:00", 0)]


def test_truncated_date_read_as_a_timestamp_stays_one_on_bigquery():
    wrong = compile_without(truncated_date_read_as_timestamp, READS_A_CLOCK, "bigquery").sql
    # TIMESTAMP_TRUNC(DATE, HOUR) and EXTRACT(HOUR FROM DATE) are errors; CAST(DATE AS STRING) drops ' 00:00:00'
    assert "TIMESTAMP_TRUNC(DATE_TRUNC(order_date, MONTH), HOUR) AS h" in wrong
    assert "CAST(DATE_TRUNC(order_date, MONTH) AS STRING) AS s" in wrong
    right = compile_sql(READS_A_CLOCK, "bigquery").sql
    assert right == ("SELECT TIMESTAMP_TRUNC(CAST(DATE_TRUNC(order_date, MONTH) AS DATETIME), HOUR) AS h, "
                     "EXTRACT(HOUR FROM CAST(DATE_TRUNC(order_date, MONTH) AS DATETIME)) AS x, "
                     "REGEXP_REPLACE(FORMAT_DATETIME('%Y-%m-%d %H:%M:%E6S', CAST(DATE_TRUNC(order_date, MONTH) AS "
                     "DATETIME)), '[.]?0*$', '') AS s, "
                     "DATE_TRUNC(order_date, MONTH) AS m FROM fact_sales")  # selected: still the DATE


def test_truncated_date_read_as_a_timestamp_on_snowflake_and_duckdb():
    snowflake = compile_sql(READS_A_CLOCK, "snowflake").sql
    assert ("TO_CHAR(CAST(DATE_TRUNC('MONTH', order_date) AS TIMESTAMP), 'YYYY-MM-DD HH24:MI:SS.FF6'), '[.]?0*$', "
            "'') AS s") in snowflake
    assert "DATE_TRUNC('MONTH', order_date) AS m" in snowflake
    duckdb = compile_sql(READS_A_CLOCK, "duckdb").sql
    assert "CAST(CAST(DATE_TRUNC('MONTH', order_date) AS TIMESTAMP) AS TEXT) AS s" in duckdb
    assert "CAST(DATE_TRUNC('MONTH', order_date) AS DATE) AS m" in duckdb
    assert duckdb_rows(duckdb.replace("FROM fact_sales", "FROM (SELECT DATE '2024-03-05' AS order_date)")) == [
        (datetime(2024, 3, 1), 0, "2024-03-01 00:00:00", date(2024, 3, 1))]


def test_a_truncated_date_passed_on_is_judged_by_what_reads_it():
    # COALESCE / CASE pass the value on: the cast to text reads it; a comparison or a date truncation does not.
    sql = ("SELECT CAST(COALESCE(date_trunc('year', order_date), DATE '2024-01-01') AS VARCHAR) AS s, "
           "COUNT(*) FILTER (WHERE date_trunc('month', order_date) >= DATE '2024-01-01') AS n, "
           "date_trunc('year', date_trunc('month', order_date)) AS y FROM fact_sales")
    right = compile_sql(sql, "bigquery").sql
    assert "FORMAT_DATETIME('%Y-%m-%d %H:%M:%E6S', COALESCE(CAST(DATE_TRUNC(order_date, YEAR) AS DATETIME), " in right
    assert "DATE_TRUNC(order_date, MONTH) >= " in right
    assert "DATETIME" not in right.split(" AS n, ")[1]


def test_date_formatted_with_a_time_of_day():
    assert duckdb_rows("SELECT strftime(DATE '2024-01-05', '%Y-%m-%d %H:%M')") == [("2024-01-05 00:00",)]
    sql = "SELECT strftime(order_date, '%Y-%m-%d %H:%M') AS a, strftime(order_date, '%Y-%m') AS b FROM fact_sales"
    wrong = compile_without(date_formatted_with_a_clock, sql, "bigquery").sql
    assert "FORMAT_DATE('%F %H:%M', order_date) AS a" in wrong  # ZetaSQL prints '2024-01-05 %H:%M'
    right = compile_sql(sql, "bigquery").sql
    assert right == ("SELECT FORMAT_DATETIME('%F %H:%M', CAST(order_date AS DATETIME)) AS a, "
                     "FORMAT_DATE('%Y-%m', order_date) AS b FROM fact_sales")
    assert compile_sql(sql, "snowflake").sql.startswith(
        "SELECT TO_CHAR(CAST(order_date AS TIMESTAMP), 'yyyy-mm-DD hh24:mi') AS a")


def test_date_part_is_extract():
    assert duckdb_rows("SELECT date_part('hour', TIMESTAMP '2024-01-05 13:00:00'), "
                       "datepart('dow', DATE '2024-01-07')") == [(13, 0)]
    sql = "SELECT date_part('hour', order_ts) AS h, datepart('dow', order_date) AS d FROM fact_sales"
    wrong = compile_without(date_part_as_extract, sql, "bigquery").sql
    assert "date_part('hour', order_ts)" in wrong  # BigQuery: Function not found: date_part
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT EXTRACT(HOUR FROM order_ts) AS h, (EXTRACT(DAYOFWEEK FROM order_date) - 1) AS d FROM fact_sales")
    snowflake = compile_sql(sql, "snowflake").sql  # Sunday = 0 whatever WEEK_START says
    assert snowflake == "SELECT DATE_PART(HOUR, order_ts) AS h, DAYOFWEEKISO(order_date) % 7 AS d FROM fact_sales"


def test_epoch_is_fractional_seconds_and_epoch_ms_whole_milliseconds():
    assert duckdb_rows("SELECT epoch(TIMESTAMPTZ '2024-01-02 20:15:11.268+00'), "
                       "epoch_ms(TIMESTAMPTZ '2024-01-02 20:15:11.268+00'), epoch(DATE '2024-01-02')") == [
        (1704226511.268, 1704226511268, 1704153600.0)]
    sql = "SELECT epoch(order_ts) AS e, epoch_ms(order_ts) AS ms, epoch(order_date) AS d FROM fact_sales"
    wrong = compile_without(epoch_functions, sql, "bigquery").sql
    assert "TIME_TO_UNIX(order_ts) AS e, TIMESTAMP_MILLIS(order_ts) AS ms" in wrong  # no such function; a TIMESTAMP
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT (UNIX_MICROS(order_ts) / 1000000) AS e, UNIX_MILLIS(order_ts) AS ms, "
        "(UNIX_MICROS(CAST(order_date AS TIMESTAMP)) / 1000000) AS d FROM fact_sales")
    wrong = compile_without(epoch_functions, sql, "snowflake").sql
    assert "EXTRACT(epoch_second FROM order_ts) AS e, TO_TIMESTAMP(order_ts, 3) AS ms" in wrong  # whole seconds
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT (CAST(DATE_PART(EPOCH_MICROSECOND, order_ts) AS DOUBLE) / 1000000) AS e, "
        "DATE_PART(EPOCH_MILLISECOND, order_ts) AS ms, "
        "(CAST(DATE_PART(EPOCH_MICROSECOND, CAST(order_date AS TIMESTAMP)) AS DOUBLE) / 1000000) AS d FROM fact_sales")
    numbers = compile_sql("SELECT epoch_ms(sale_id) AS t FROM fact_sales", "bigquery").sql
    assert numbers == "SELECT TIMESTAMP_MILLIS(sale_id) AS t FROM fact_sales"  # epoch_ms(integer) is a timestamp


def test_strptime_is_a_wall_clock_parse_with_the_source_codes():
    assert duckdb_rows("SELECT typeof(strptime('2024-02-26', '%Y-%m-%d'))") == [("TIMESTAMP",)]
    sql = "SELECT strptime(order_id, '%Y-%m-%d') AS p FROM fact_sales"
    assert compile_without(parse_time_verbatim, sql, "bigquery").sql == (
        "SELECT PARSE_TIMESTAMP('%F', order_id) AS p FROM fact_sales")  # an instant; ZetaSQL fails on '%F'
    assert compile_sql(sql, "bigquery").sql == "SELECT PARSE_DATETIME('%Y-%m-%d', order_id) AS p FROM fact_sales"
    zoned = "SELECT strptime(order_id, '%Y-%m-%d %z') AS p FROM fact_sales"
    assert "PARSE_TIMESTAMP(" in compile_sql(zoned, "bigquery").sql  # DuckDB returns an instant there


def test_week_difference_is_whole_weeks():
    # DuckDB: whole weeks of days, truncated toward zero (not Sunday or Monday boundaries)
    assert duckdb_rows("SELECT date_diff('week', DATE '2024-01-07', DATE '2024-01-08'), "
                       "date_diff('week', DATE '2024-01-01', DATE '2024-01-07'), "
                       "date_diff('week', DATE '2024-01-08', DATE '2024-01-02'), "
                       "date_diff('week', DATE '2024-01-08', DATE '2024-01-01')") == [(0, 0, 0, -1)]
    sql = "SELECT date_diff('week', order_date, DATE '2024-12-31') AS w FROM fact_sales"
    assert compile_without(week_difference_whole_weeks, sql, "bigquery").sql == (
        "SELECT DATE_DIFF(CAST('2024-12-31' AS DATE), order_date, WEEK) AS w FROM fact_sales")  # Sunday boundaries
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT (DIV(DATE_DIFF(CAST('2024-12-31' AS DATE), order_date, DAY), 7)) AS w FROM fact_sales")
    assert "DATEDIFF(DAY, order_date" in compile_sql(sql, "snowflake").sql
    assert compile_sql(sql, "redshift").sql == (
        "SELECT (DATEDIFF(DAY, order_date, CAST('2024-12-31' AS DATE)) / 7) AS w FROM fact_sales")  # truncates


def test_date_add_and_date_minus_date():
    assert duckdb_rows("SELECT date_add(DATE '2024-01-31', INTERVAL 1 MONTH), DATE '2024-01-08' - DATE '2024-01-01'"
                       ) == [(datetime(2024, 2, 29), 7)]
    sql = "SELECT date_add(order_date, INTERVAL 1 MONTH) AS d, order_date - DATE '2024-01-01' AS n FROM fact_sales"
    wrong = compile_without(date_arithmetic_as_operators, sql, "bigquery").sql
    assert "DATE_ADD(order_date, INTERVAL (INTERVAL '1' MONTH) DAY)" in wrong  # not an INT64 interval
    assert "order_date - CAST('2024-01-01' AS DATE) AS n" in wrong  # an INTERVAL on BigQuery
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT (order_date + INTERVAL '1' MONTH) AS d, "
        "DATE_DIFF(order_date, CAST('2024-01-01' AS DATE), DAY) AS n FROM fact_sales")
    assert "DATEADD(DAY, INTERVAL" in compile_without(date_arithmetic_as_operators, sql, "redshift").sql
    assert compile_sql(sql, "redshift").sql.startswith("SELECT (order_date + INTERVAL '1 MONTH') AS d")


def test_last_day_of_an_instant_and_weekday_and_extract_epoch():
    assert duckdb_rows("SELECT last_day(TIMESTAMPTZ '2024-02-10 23:00:00+00'), weekday(DATE '2024-01-07'), "
                       "extract(epoch FROM TIMESTAMPTZ '2024-01-02 20:15:11.268+00')") == [
        (date(2024, 2, 29), 0, 1704226511.268)]
    sql = ("SELECT last_day(order_ts) AS l, weekday(order_date) AS w, extract(epoch FROM order_ts) AS e "
           "FROM fact_sales")
    assert "LAST_DAY(order_ts)" in compile_without(last_day_of_an_instant, sql, "bigquery").sql  # no TIMESTAMP form
    wrong = compile_without(date_part_as_extract, sql, "bigquery").sql
    assert "weekday(order_date)" in wrong and "EXTRACT(EPOCH FROM order_ts)" in wrong  # unknown to BigQuery
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT LAST_DAY(CAST(order_ts AS DATE)) AS l, (EXTRACT(DAYOFWEEK FROM order_date) - 1) AS w, "
        "(UNIX_MICROS(order_ts) / 1000000) AS e FROM fact_sales")


def test_timestamps_print_as_duckdb_prints_them():
    assert duckdb_rows("SELECT CAST(TIMESTAMPTZ '2024-03-05 20:00:53.03+00' AS VARCHAR), "
                       "CAST(TIMESTAMP '2024-03-01 00:00:00' AS VARCHAR)") == [
        ("2024-03-05 20:00:53.03+00", "2024-03-01 00:00:00")]
    sql = "SELECT CAST(order_ts AS VARCHAR) AS a FROM fact_sales"
    assert compile_without(timestamp_text_as_duckdb_prints, sql, "bigquery").sql == (
        "SELECT CAST(order_ts AS STRING) AS a FROM fact_sales")  # ZetaSQL: '2024-03-05 20:00:53.030+00'
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT (REGEXP_REPLACE(FORMAT_TIMESTAMP('%Y-%m-%d %H:%M:%E6S', order_ts, 'UTC'), '[.]?0*$', '') || '+00') "
        "AS a FROM fact_sales")
    assert compile_without(timestamp_text_as_duckdb_prints, sql, "snowflake").sql == (
        "SELECT CAST(order_ts AS VARCHAR) AS a FROM fact_sales")  # Snowflake: '... 20:00:53.030 +0000'
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT (REGEXP_REPLACE(TO_CHAR(CONVERT_TIMEZONE('UTC', order_ts), 'YYYY-MM-DD HH24:MI:SS.FF6'), "
        "'[.]?0*$', '') || '+00') AS a FROM fact_sales")
    # the pattern cuts a zero fraction with its dot, trailing zeros of a fraction, and never the seconds
    assert duckdb_rows("SELECT regexp_replace(s, '[.]?0*$', '', 'g') FROM (VALUES ('10:00:10.000000'), "
                       "('10:00:00.500000'), ('10:00:53.030000')) AS t(s)") == [
        ("10:00:10",), ("10:00:00.5",), ("10:00:53.03",)]
