"""Rules found by the widened differential fuzzer (rules/duckdb_functions.py, groups.py, duckdb_types.py): each
test shows DuckDB's meaning, the text a target gets without the rule, and the text with it. ZetaSQL runs the minimal
queries in tests/integration/fuzz/test_fuzz_widened_regressions.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules import duckdb_types
from toolkit.sql.rules.duckdb_functions import (
    concat_casts_to_text,
    date_sub_counts_whole_parts,
    math_in_double,
    sign_is_an_integer,
)
from toolkit.sql.rules.duckdb_source import date_part_as_extract
from toolkit.sql.rules.groups import float_partition_keys, grand_total_without_rows, set_operation_instants_in_utc


def test_date_part_becomes_extract_numbered_as_duckdb():
    day = "DATE '2024-01-07'"  # a Sunday: weekday 0, ISO week 1, day 7 of the year
    assert duckdb_rows(f"SELECT date_part('doy', {day}), date_part('dow', {day}), date_part('week', {day}), "
                       f"date_part('yearweek', {day})") == [(7, 0, 1, 202401)]
    sql = "SELECT date_part('doy', order_date) AS d, date_part('dow', order_date) AS w, " \
          "date_part('week', order_date) AS k FROM fact_sales"
    assert "date_part('doy', order_date)" in compile_without(date_part_as_extract, sql, "bigquery").sql  # not BigQuery
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT EXTRACT(DAYOFYEAR FROM order_date) AS d, (EXTRACT(DAYOFWEEK FROM order_date) - 1) AS w, "
        "EXTRACT(ISOWEEK FROM order_date) AS k FROM fact_sales")
    assert "DATE_PART('dow', order_date)" in compile_without(date_part_as_extract, sql, "snowflake").sql  # WEEK_START
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT DAYOFYEAR(order_date) AS d, DAYOFWEEKISO(order_date) % 7 AS w, WEEKISO(order_date) AS k "
        "FROM fact_sales")


def test_concat_casts_non_text_arguments():
    assert duckdb_rows("SELECT concat('a', 3, DATE '2024-01-02', TRUE)") == [("a32024-01-02true",)]
    sql = "SELECT concat(status, quantity, order_date) AS s FROM fact_sales"
    assert "COALESCE(quantity, '')" in compile_without(concat_casts_to_text, sql, "bigquery").sql  # INT64 vs STRING
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT CONCAT(COALESCE(status, ''), COALESCE(CAST(quantity AS STRING), ''), "
        "COALESCE(CAST(order_date AS STRING), '')) AS s FROM fact_sales")


def test_date_sub_counts_whole_days_and_weeks():
    assert duckdb_rows("SELECT date_sub('week', DATE '2024-01-01', DATE '2024-01-20'), "
                       "date_sub('week', DATE '2024-01-20', DATE '2024-01-01'), "
                       "date_sub('day', DATE '2024-01-20', DATE '2024-01-01')") == [(2, -2, -19)]
    sql = "SELECT date_sub('week', order_date, DATE '2024-01-01') AS w FROM fact_sales"
    # BigQuery reads its own DATE_SUB(date, INTERVAL ...): "Expected INTERVAL expression"
    assert "date_sub('week', order_date" in compile_without(date_sub_counts_whole_parts, sql, "bigquery").sql
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT DIV(DATE_DIFF(CAST('2024-01-01' AS DATE), order_date, DAY), 7) AS w FROM fact_sales")
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT TRUNC(DIV0(DATEDIFF(DAY, order_date, CAST('2024-01-01' AS DATE)), 7)) AS w FROM fact_sales")
    with pytest.raises(UnportableError, match="date_sub\\('month', a, b\\)"):
        compile_sql("SELECT date_sub('month', order_date, DATE '2024-01-01') AS m FROM fact_sales", "bigquery")


def test_round_of_a_decimal_keeps_a_decimal_type(monkeypatch):
    assert duckdb_rows("SELECT typeof(round(1.25::DECIMAL(12, 2), 3)), typeof(round(1.25::DECIMAL(12, 2), 1)), "
                       "median(round(x, 3)) FROM (VALUES (1.25::DECIMAL(12, 2)), (2.50)) AS v(x)") == [
        ("DECIMAL(12,2)", "DECIMAL(12,1)", Decimal("1.87"))]
    sql = "SELECT median(round(unit_price, 3)) AS m FROM fact_sales"
    right = compile_sql(sql, "bigquery").sql
    monkeypatch.setattr(duckdb_types, "type_duckdb_functions", lambda tree, dialect: False)
    # typed DOUBLE, the median computes in FLOAT64 and is not truncated to the 2 decimals DuckDB keeps (1.875)
    assert "PERCENTILE_CONT(ROUND(unit_price, 3), 0.5)" in compile_sql(sql, "bigquery").sql
    assert "TRUNC(PERCENTILE_CONT(ROUND(unit_price, 3), CAST('0.5' AS NUMERIC)) OVER (), 2)" in right


def test_arg_max_returns_its_value_type(monkeypatch):
    sql = "WITH w AS (SELECT arg_max(order_date, sale_id) AS d FROM fact_sales) " \
          "SELECT d FROM w WHERE d <= CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ)"
    right = compile_sql(sql, "bigquery").sql
    monkeypatch.setattr(duckdb_types, "type_duckdb_functions", lambda tree, dialect: False)
    # an untyped DATE meets a TIMESTAMP: "No matching signature for operator <=" on BigQuery
    assert compile_sql(sql, "bigquery").sql.endswith("WHERE d <= CAST('2024-01-01 00:00:00+00' AS TIMESTAMP)")
    assert right.endswith("WHERE TIMESTAMP(d) <= CAST('2024-01-01 00:00:00+00' AS TIMESTAMP)") or \
        "CAST(d AS TIMESTAMP)" in right, right


def test_float_partition_keys_partition_by_text():
    sql = "SELECT COUNT(*) OVER (PARTITION BY abs(discount_pct)) AS n FROM fact_sales"
    assert compile_without(float_partition_keys, sql, "bigquery").sql == (
        "SELECT COUNT(*) OVER (PARTITION BY ABS(discount_pct)) AS n FROM fact_sales")  # FLOAT64: not allowed
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT COUNT(*) OVER (PARTITION BY CAST((ABS(discount_pct)) + 0.0 AS STRING)) AS n FROM fact_sales")


def test_set_operation_instants_in_utc():
    sql = "SELECT order_date - INTERVAL 2 DAY AS t FROM fact_sales UNION ALL SELECT order_ts AS t FROM fact_sales"
    assert duckdb_rows("SELECT typeof(x) FROM (SELECT DATE '2024-01-03' - INTERVAL 2 DAY AS x UNION ALL "
                       "SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00') LIMIT 1") == [("TIMESTAMP WITH TIME ZONE",)]
    wrong = compile_without(set_operation_instants_in_utc, sql, "bigquery").sql
    assert wrong.startswith("SELECT order_date - INTERVAL '2' DAY AS t")  # DATETIME beside TIMESTAMP: refused
    assert compile_sql(sql, "bigquery").sql.startswith(
        "SELECT CAST(order_date - INTERVAL '2' DAY AS TIMESTAMP) AS t FROM fact_sales UNION ALL")


def test_typing_again_keeps_the_other_types():
    """Retyping CEIL in a CTE annotates again only above it: the integer `//` outside keeps its INT operands (the
    widened fuzzer's seed 311 query 194 got a FLOAT64 division there: 3.5 for 7 // 2)."""
    sql = "WITH w0 AS (SELECT CEIL(-3.10) AS c0, 7 AS c2 FROM fact_sales) " \
          "SELECT CAST(c2 // NULLIF(2, 0) AS DECIMAL(12, 2)) AS c0 FROM w0"
    assert "ROUND(CAST(DIV(c2, NULLIF(2, 0)) AS NUMERIC), 2)" in compile_sql(sql, "bigquery").sql


def test_grand_total_row_on_no_rows():
    assert duckdb_rows("SELECT x, COUNT(*) FROM (SELECT 1 AS x) WHERE FALSE GROUP BY ROLLUP (x)") == [(None, 0)]
    sql = "SELECT status AS s, COUNT(*) AS n FROM fact_sales WHERE quantity > 100 GROUP BY ROLLUP (status) ORDER BY 1"
    assert compile_without(grand_total_without_rows, sql, "bigquery").sql == (
        "SELECT status AS s, COUNT(*) AS n FROM fact_sales WHERE quantity > 100 GROUP BY ROLLUP (status) "
        "ORDER BY 1 NULLS LAST")  # ZetaSQL: no row when no row passes the WHERE
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT status AS s, COUNT(*) AS n FROM fact_sales WHERE quantity > 100 GROUP BY ROLLUP (status) "
        "UNION ALL SELECT CAST(NULL AS STRING) AS s, COUNT(*) AS n FROM fact_sales WHERE quantity > 100 "
        "GROUP BY () HAVING COUNT(*) = 0 ORDER BY 1 NULLS LAST")
    plain = "SELECT status AS s, COUNT(*) AS n FROM fact_sales GROUP BY status, ROLLUP (channel)"  # no grand total
    assert "UNION ALL" not in compile_sql(plain, "bigquery").sql


def test_sign_is_an_integer():
    assert duckdb_rows("SELECT typeof(sign(0.5::DOUBLE)), 7 // sign(0.5::DOUBLE)") == [("TINYINT", 7)]
    sql = "SELECT 7 // NULLIF(sign(discount_pct), 0) AS q FROM fact_sales"
    # SIGN(FLOAT64) is a FLOAT64 on BigQuery: "No matching signature for function DIV; INT64, FLOAT64"
    assert "NULLIF(SIGN(discount_pct), 0)" in compile_without(sign_is_an_integer, sql, "bigquery").sql
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT DIV(7, NULLIF(CAST(SIGN(discount_pct) AS INT64), 0)) AS q FROM fact_sales")


def test_nested_calendar_functions_all_become_extract():
    sql = "SELECT year(make_date(year(order_date), month(order_date), 1)) AS y FROM fact_sales"
    compiled = compile_sql(sql, "bigquery").sql
    assert "YEAR(" not in compiled.replace("EXTRACT(YEAR", "") and "MONTH(" not in compiled.replace("EXTRACT(MONTH", "")


def test_nested_concat_calls_are_rewritten_inside_out():
    sql = "SELECT concat(concat('x', quantity), order_date) AS a, concat_ws(',', status, concat_ws('-', channel, " \
          "status)) AS b FROM fact_sales"
    compiled = compile_sql(sql, "bigquery").sql
    assert "COALESCE(quantity, '')" not in compiled and "CONCAT_WS" not in compiled, compiled
    assert "ARRAY_TO_STRING([status, ARRAY_TO_STRING([channel, status], '-')], ',')" in compiled


def test_math_of_a_decimal_computes_in_double():
    assert duckdb_rows("SELECT typeof(sqrt(0.05)), typeof(power(1.5, 2))") == [("DOUBLE", "DOUBLE")]
    sql = "SELECT sqrt(unit_price) AS r FROM fact_sales"
    assert compile_without(math_in_double, sql, "bigquery").sql == "SELECT SQRT(unit_price) AS r FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == "SELECT SQRT(CAST(unit_price AS FLOAT64)) AS r FROM fact_sales"


def test_grand_total_branch_names_bare_keys_and_orders_by_output_names():
    # found merging the DuckDB hunt corpus with the fuzzer's rule: the fuzzer aliases every item, users do not
    sql = ("SELECT c.country, COUNT(*) AS n, grouping(c.country) AS g FROM dim_customer c "
           "GROUP BY ROLLUP (c.country) ORDER BY c.country NULLS FIRST")
    compiled = compile_sql(sql, "bigquery").sql
    total = compiled.split("UNION ALL", 1)[1]
    assert "CAST(NULL AS STRING) AS country" in total  # not `c.country`: not grouped in the GROUP BY () branch
    assert "1 AS g" in total  # GROUPING of a rolled-up key
    assert compiled.rstrip().endswith('ORDER BY `country` NULLS FIRST')  # a UNION's ORDER BY sees output names only
    assert "AS CAST(" not in compiled  # the alias itself is never replaced


def test_date_part_abbreviations_become_extract_and_year_groups_are_refused():
    # DuckDB reads abbreviations ('yr', 'mon', 'dayofyear'); BigQuery's EXTRACT has no DECADE (fuzz seeds 1001-2002)
    assert duckdb_rows("SELECT date_part('yr', DATE '2024-03-01'), date_part('mon', DATE '2024-03-01'), "
                       "date_part('decade', DATE '2024-03-01')") == [(2024, 3, 202)]
    sql = "SELECT date_part('yr', order_date) AS y, date_part('mon', order_date) AS m FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT EXTRACT(YEAR FROM order_date) AS y, EXTRACT(MONTH FROM order_date) AS m FROM fact_sales")
    for decade in ("SELECT date_part('decade', order_date) AS d FROM fact_sales",
                   "SELECT EXTRACT(decade FROM order_date) AS d FROM fact_sales"):
        for engine in ("bigquery", "snowflake"):
            with pytest.raises(UnportableError, match="DECADE|decade"):
                compile_sql(decade, engine)


def test_integer_division_of_a_decimal_literal_is_double_division():
    # DuckDB: DECIMAL // INTEGER is DOUBLE division; a NUMERIC dividend on BigQuery kept 9 decimals (fuzz seed 1001)
    assert duckdb_rows("SELECT typeof((-3.10) // 4), (-3.10) // 4") == [("DOUBLE", -0.775)]
    compiled = compile_sql("SELECT channel, SUM((-3.10) // NULLIF(quantity, 0)) / NULLIF(COUNT(order_month), 0) AS q "
                           "FROM fact_sales GROUP BY 1", "bigquery").sql
    assert "SUM(CAST(-CAST('3.10' AS NUMERIC) AS FLOAT64) / NULLIF(quantity, 0))" in compiled
