"""Built-in functions found by the differential fuzzer: each rule shows what the target gets without it (ZetaSQL
runs the same minimal queries in tests/integration/fuzz/test_fuzz_regressions.py)."""

from __future__ import annotations

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.builtins import (
    calendar_functions_as_extract,
    contains_is_case_sensitive,
    regexp_replace_first_match,
)


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
    assert compile_without(regexp_replace_first_match, first, "bigquery").sql == (
        "SELECT REGEXP_REPLACE(status, 'a', '-') AS r FROM fact_sales")
    assert compile_without(regexp_replace_first_match, every, "snowflake").sql == (
        "SELECT REGEXP_REPLACE(status, 'a', '-', 'g') AS r FROM fact_sales")
    with pytest.raises(UnportableError, match="only the first match"):
        compile_sql(first, "bigquery")
    assert compile_sql(every, "bigquery").sql == "SELECT REGEXP_REPLACE(status, 'a', '-') AS r FROM fact_sales"
    assert compile_sql(first, "snowflake").sql == "SELECT REGEXP_REPLACE(status, 'a', '-', 1, 1) AS r FROM fact_sales"
    assert compile_sql(every, "snowflake").sql == "SELECT REGEXP_REPLACE(status, 'a', '-') AS r FROM fact_sales"


def test_regexp_replace_other_options_are_refused():
    with pytest.raises(UnportableError, match="options other than 'g'"):
        compile_sql("SELECT regexp_replace(status, 'a', '-', 'i') AS r FROM fact_sales", "snowflake")
