"""Built-in functions found by the differential fuzzer: each rule shows what the target gets without it (ZetaSQL
runs the same minimal queries in tests/integration/fuzz/test_fuzz_regressions.py)."""

from __future__ import annotations

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows, without_rule

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.builtins import (
    arg_max_as_array_agg,
    calendar_functions_as_extract,
    constant_value_window_is_the_constant,
    contains_is_case_sensitive,
    regexp_replace_first_match,
)
from toolkit.sql.rules.duckdb_text import regexp_replace_first_match_anchored


def test_calendar_functions_become_extract_on_bigquery():
    sql = "SELECT year(order_date) AS y, quarter(order_date) AS q, dayofmonth(order_date) AS d FROM fact_sales"
    wrong = compile_without(calendar_functions_as_extract, sql, "bigquery").sql
    assert "YEAR(order_date)" in wrong and "QUARTER(order_date)" in wrong  # functions BigQuery does not have
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT EXTRACT(YEAR FROM order_date) AS y, EXTRACT(QUARTER FROM order_date) AS q, "
        "EXTRACT(DAY FROM order_date) AS d FROM fact_sales")
    assert duckdb_rows("SELECT year(DATE '2024-05-31'), quarter(DATE '2024-05-31'), dayofmonth(DATE '2024-05-31')") \
        == duckdb_rows("SELECT EXTRACT(YEAR FROM DATE '2024-05-31'), EXTRACT(QUARTER FROM DATE '2024-05-31'), "
                       "EXTRACT(DAY FROM DATE '2024-05-31')")
    assert compile_sql(sql, "snowflake").sql.startswith("SELECT YEAR(order_date)")  # Snowflake has them


def test_contains_stays_case_sensitive_on_bigquery():
    assert duckdb_rows("SELECT contains('Apple', 'a'), contains('abc', ''), contains(NULL, 'a')") == [
        (False, True, None)]
    sql = "SELECT contains(status, 'a') AS c, NOT contains(status, 'b') AS n FROM fact_sales"
    wrong = compile_without(contains_is_case_sensitive, sql, "bigquery").sql
    assert "CONTAINS_SUBSTR(status, 'a')" in wrong  # case-folding: CONTAINS_SUBSTR('Apple', 'a') is TRUE
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT INSTR(status, 'a') > 0 AS c, NOT (INSTR(status, 'b') > 0) AS n FROM fact_sales")


def test_regexp_replace_first_match_only():
    assert duckdb_rows("SELECT regexp_replace('banana', 'a', '-'), regexp_replace('banana', 'a', '-', 'g')") == [
        ("b-nana", "b-n-n-")]
    first = "SELECT regexp_replace(status, 'a', '-') AS r FROM fact_sales"
    every = "SELECT regexp_replace(status, 'a', '-', 'g') AS r FROM fact_sales"
    # Without the rule BigQuery replaces every match (first-match meaning lost), Snowflake reads 'g' as a position.
    with without_rule(regexp_replace_first_match), without_rule(regexp_replace_first_match_anchored):
        assert compile_sql(first, "bigquery").sql == "SELECT REGEXP_REPLACE(status, 'a', '-') AS r FROM fact_sales"
    assert compile_without(regexp_replace_first_match, every, "snowflake").sql == (
        "SELECT REGEXP_REPLACE(status, 'a', '-', 'g') AS r FROM fact_sales")
    with without_rule(regexp_replace_first_match_anchored), pytest.raises(UnportableError, match="only the first"):
        compile_sql(first, "bigquery")  # refused, unless the anchored form (duckdb_text) applies, as it does here:
    assert compile_sql(first, "bigquery").sql == (
        "SELECT REGEXP_REPLACE(status, '^((?s:.*?))(?:a)', '\\\\1-') AS r FROM fact_sales")
    assert compile_sql(every, "bigquery").sql == "SELECT REGEXP_REPLACE(status, 'a', '-') AS r FROM fact_sales"
    assert compile_sql(first, "snowflake").sql == "SELECT REGEXP_REPLACE(status, 'a', '-', 1, 1) AS r FROM fact_sales"
    assert compile_sql(every, "snowflake").sql == "SELECT REGEXP_REPLACE(status, 'a', '-') AS r FROM fact_sales"


def test_regexp_replace_other_options_are_refused():
    with pytest.raises(UnportableError, match="options other than 'g'"):
        compile_sql("SELECT regexp_replace(status, 'a', '-', 'i') AS r FROM fact_sales", "snowflake")


def test_arg_max_becomes_array_agg_on_bigquery():
    # DuckDB ignores rows whose arg or key is NULL: the largest key (3) has a NULL arg, so 'b' wins.
    rows = "(VALUES (NULL, 3), ('b', 2), ('c', NULL), ('a', 1)) t(x, k)"
    assert duckdb_rows(f"SELECT arg_max(x, k), arg_min(x, k) FROM {rows}") == [("b", "a")]
    sql = "SELECT channel, arg_max(status, sale_id) AS s FROM fact_sales GROUP BY 1"
    assert "MAX_BY(status, sale_id)" in compile_without(arg_max_as_array_agg, sql, "bigquery").sql  # no such function
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT channel, ARRAY_AGG(IF(sale_id IS NULL, NULL, status) IGNORE NULLS ORDER BY sale_id DESC LIMIT 1)"
        "[SAFE_OFFSET(0)] AS s FROM fact_sales GROUP BY 1")
    constant = compile_sql("SELECT arg_min(status, 0) AS s FROM fact_sales", "bigquery").sql
    assert "ORDER BY" not in constant  # `ORDER BY 0` would be a position on BigQuery


def test_arg_max_as_a_window_is_refused_on_bigquery():
    with pytest.raises(UnportableError, match="window"):
        compile_sql("SELECT arg_max(status, sale_id) OVER (PARTITION BY channel) AS s FROM fact_sales", "bigquery")


def test_value_window_of_a_constant_is_the_constant_on_bigquery():
    sql = "SELECT last_value(TRY_CAST('' AS DATE)) OVER (PARTITION BY channel ORDER BY sale_id) AS d FROM fact_sales"
    # ZetaSQL: "The argument to LAST_VALUE must be non-NULL"; DuckDB: NULL on every row.
    assert "LAST_VALUE(SAFE_CAST('' AS DATE)) OVER" in compile_without(constant_value_window_is_the_constant, sql,
                                                                      "bigquery").sql
    assert compile_sql(sql, "bigquery").sql == "SELECT SAFE_CAST('' AS DATE) AS d FROM fact_sales"
    framed = ("SELECT first_value(7) OVER (ORDER BY sale_id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) AS d "
              "FROM fact_sales")
    assert "FIRST_VALUE(7) OVER" in compile_sql(framed, "bigquery").sql  # the frame may be empty: kept
    assert duckdb_rows("SELECT first_value(7) OVER (ORDER BY x ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) "
                       "FROM range(2) t(x) ORDER BY x") == [(None,), (7,)]
