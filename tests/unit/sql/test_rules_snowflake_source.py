"""A Snowflake-dialect source: each rule makes DuckDB and BigQuery (ZetaSQL's evaluator) give the value Snowflake's
documentation states (default session: WEEK_START = 0, WEEK_OF_YEAR_POLICY = 0). fakesnow cannot be the judge here:
it runs Snowflake SQL through sqlglot into DuckDB, the very translation under test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqltest_helpers import bigquery_rows as _bigquery_rows
from sqltest_helpers import compile_sql, compile_without, duckdb_rows, rows_without

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules import snowflake_source as sf
from toolkit.sql.rules.dates import day_of_week_numbering, week_numbering


def _both(sql: str) -> tuple[list[tuple], list[tuple]]:
    """(DuckDB rows, BigQuery rows) of `sql` compiled from Snowflake for each."""
    return (duckdb_rows(compile_sql(sql, "duckdb", source="snowflake").sql),
            _bigquery_rows(compile_sql(sql, "bigquery", source="snowflake").sql))


def _wrong(rule, sql: str, engine: str):
    return rows_without(rule, sql, engine, source="snowflake")


def test_listagg_keeps_the_empty_default_separator():
    # Snowflake: LISTAGG(x) with no delimiter concatenates with '' ('ab').
    sql = ("SELECT LISTAGG(x) WITHIN GROUP (ORDER BY x) AS l FROM (SELECT 'a' AS x UNION ALL SELECT 'b') AS t")
    assert _both(sql) == ([("ab",)], [("ab",)])
    assert _wrong(sf.listagg_empty_separator, sql, "duckdb") == [("a,b",)]
    assert _wrong(sf.listagg_empty_separator, sql, "bigquery") == [("a,b",)]


def test_exact_division_keeps_snowflakes_scale():
    # Snowflake: 1 / 3 = 0.333333 (scale max(0, min(0 + 6, 12)) = 6); 2.00 / 3 = 0.66666667 (scale 8).
    sql = "SELECT 1 / 3 AS a, CAST(2 AS DECIMAL(10, 2)) / 3 AS b, CAST(1 AS DOUBLE) / 3 AS c"
    duck, bigquery = _both(sql)
    assert duck[0][:2] == bigquery[0][:2] == (Decimal("0.333333"), Decimal("0.66666667"))
    assert duck[0][2] == bigquery[0][2] == pytest.approx(1 / 3)  # a FLOAT divides as a float everywhere
    assert _wrong(sf.snowflake_division_scale, sql, "duckdb")[0][0] == pytest.approx(1 / 3)  # not 0.333333
    assert _wrong(sf.snowflake_division_scale, sql, "bigquery")[0][0] == pytest.approx(1 / 3)


def test_to_char_of_a_date_uses_the_targets_format_codes():
    # Snowflake elements are case-insensitive: 'dd' is the zero-padded day like 'DD'; DY and MON abbreviate.
    sql = "SELECT TO_CHAR(DATE '2024-01-05', 'DY dd MON yyyy, MMMM') AS f"
    assert _both(sql) == ([("Fri 05 Jan 2024, January",)], [("Fri 05 Jan 2024, January",)])
    for engine in ("duckdb", "bigquery"):
        # sqlglot reads 'dd' as an unpadded day ('Fri 5 Jan' on DuckDB, 'Fri  5 Jan' on BigQuery)
        assert _wrong(sf.snowflake_date_formats, sql, engine)[0][0].replace("  ", " ") == "Fri 5 Jan 2024, January"
        column = "SELECT TO_CHAR(order_date, 'YYYY-MM') AS f FROM fact_sales"
        assert _wrong(sf.snowflake_date_formats, column, engine) == "untranslatable"
        assert "'%Y-%m'" in compile_sql(column, engine, source="snowflake").sql
    with pytest.raises(UnportableError, match="format element\\(s\\) WW have no exact equivalent"):
        compile_sql("SELECT TO_CHAR(DATE '2024-01-05', 'YYYY-WW') AS f", "duckdb", source="snowflake")


def test_contains_stays_case_sensitive_on_bigquery():
    sql = "SELECT CONTAINS('abc', 'B') AS upper_b, CONTAINS('abc', 'b') AS lower_b"
    assert _both(sql) == ([(False, True)], [(False, True)])
    wrong = compile_without(sf.contains_case_sensitive, sql, "bigquery", source="snowflake").sql
    assert "CONTAINS_SUBSTR('abc', 'B')" in wrong  # BigQuery's CONTAINS_SUBSTR ignores case: TRUE, not FALSE


def test_date_part_functions_become_extract_on_bigquery():
    sql = ("SELECT YEAR(DATE '2024-12-30') AS y, QUARTER(DATE '2024-12-30') AS q, YEAROFWEEK(DATE '2024-12-30') AS "
           "iy, DAYNAME(DATE '2024-01-05') AS d, MONTHNAME(DATE '2024-01-05') AS m")
    assert _both(sql) == ([(2024, 4, 2025, "Fri", "Jan")], [(2024, 4, 2025, "Fri", "Jan")])
    assert str(_wrong(sf.date_part_functions, sql, "bigquery")).startswith("error")  # no YEAR() on BigQuery


def test_week_difference_counts_monday_weeks():
    # Sunday 2024-01-07 -> Monday 2024-01-08 crosses a Monday week boundary: 1 on Snowflake (WEEK_START = 0).
    sql = "SELECT DATEDIFF(week, DATE '2024-01-07', DATE '2024-01-08') AS w"
    assert _both(sql) == ([(1,)], [(1,)])
    assert _wrong(sf.week_difference_monday, sql, "bigquery") == [(0,)]  # BigQuery's WEEK starts on Sunday


def test_weekday_and_week_numbers_follow_snowflakes_defaults_on_bigquery():
    # DAYOFWEEK: Sunday = 0; WEEK: ISO week (2024-12-30 is week 1); sqlglot writes DAY_OF_WEEK / WEEK() for BigQuery.
    sql = ("SELECT DAYOFWEEK(DATE '2024-01-07') AS dow, DAYOFWEEKISO(DATE '2024-01-07') AS iso, "
           "WEEK(DATE '2024-12-30') AS w")
    assert _both(sql) == ([(0, 7, 1)], [(0, 7, 1)])
    assert str(_wrong(day_of_week_numbering, sql, "bigquery")).startswith("error")
    assert str(_wrong(week_numbering, sql, "bigquery")).startswith("error")


def test_split_part_and_date_trunc_from_snowflake():
    sql = ("SELECT SPLIT_PART('a-b', '-', 2) AS p, SPLIT_PART('a-b', '-', 3) AS past, "
           "DATE_TRUNC('month', DATE '2024-05-17') AS m, DATE_TRUNC('week', DATE '2024-01-07') AS w")
    expected = [("b", "", dt.date(2024, 5, 1), dt.date(2024, 1, 1))]  # Snowflake: '' past the end; DATEs stay DATEs
    assert _both(sql) == (expected, expected)


def test_ratio_to_report_is_a_share_of_the_partition_sum():
    # Snowflake: RATIO_TO_REPORT(x) = x / SUM(x) OVER (...), NULL when the sum is 0; DuckDB and BigQuery lack it.
    sql = ("SELECT g, x, RATIO_TO_REPORT(x) OVER (PARTITION BY g) AS r FROM (SELECT 'a' AS g, 1 AS x UNION ALL "
           "SELECT 'a', 3 UNION ALL SELECT 'b', 0) AS t ORDER BY g, x")
    expected = [("a", 1, Decimal("0.250000")), ("a", 3, Decimal("0.750000")), ("b", 0, None)]
    assert _both(sql) == (expected, expected)
    for engine in ("duckdb", "bigquery"):
        assert str(_wrong(sf.ratio_to_report, sql, engine)).startswith("error")


def test_regexp_substr_is_null_without_a_match_on_duckdb():
    from toolkit.sql.rules.strings import regexp_extract_null_without_match

    sql = ("SELECT REGEXP_SUBSTR('abc', '[0-9]+') AS none, REGEXP_SUBSTR('a-12', '-([0-9]+)', 1, 1, 'e', 1) AS grp")
    assert _both(sql) == ([(None, "12")], [(None, "12")])
    assert _wrong(regexp_extract_null_without_match, sql, "duckdb") == [("", "12")]  # '' instead of NULL
    with pytest.raises(UnportableError, match="later occurrence"):
        compile_sql("SELECT REGEXP_SUBSTR('a1b2', '[0-9]', 1, 2) AS second", "duckdb", source="snowflake")
