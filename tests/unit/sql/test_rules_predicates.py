"""IS / comparison precedence and LIKE escapes (found by the differential fuzzer): each rule shows what the target
gets without it. The same minimal queries run through ZetaSQL in tests/integration/fuzz/test_fuzz_regressions.py."""

from __future__ import annotations

from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.rules.predicates import (
    comparisons_non_associative,
    is_binds_after_comparison,
    like_backslash_is_literal,
    rule_built_operands_parenthesised,
)

_SALES = ("CREATE TABLE fact_sales AS SELECT * FROM (VALUES (1, 'a', 2), (2, 'b', 1), (NULL, 'c', 1), (3, 'd', 3)) "
          "AS v(sale_id, order_id, quantity)")


def test_is_null_applies_to_the_whole_comparison_in_duckdb():
    # DuckDB's own reading: `2 >= 1 IS NULL` is `(2 >= 1) IS NULL` (false), not `2 >= (1 IS NULL)`.
    assert duckdb_rows("SELECT 2 >= 1 IS NULL, (2 >= 1) IS NULL") == [(False, False)]
    sql = "SELECT order_id FROM fact_sales WHERE quantity >= sale_id IS NULL"
    wrong = compile_without(is_binds_after_comparison, sql, "bigquery").sql
    assert wrong == "SELECT order_id FROM fact_sales WHERE quantity >= (sale_id IS NULL)"  # an INT64 >= BOOL
    assert compile_sql(sql, "bigquery").sql == "SELECT order_id FROM fact_sales WHERE (quantity >= sale_id) IS NULL"


def test_is_not_null_after_a_negated_comparison_keeps_duckdb_answers():
    sql = "SELECT order_id FROM fact_sales WHERE NOT quantity >= sale_id IS NOT NULL ORDER BY order_id"
    truth = duckdb_rows(sql, _SALES)
    assert truth == [("c",)]  # the one row whose comparison is NULL
    assert duckdb_rows(compile_sql(sql, "duckdb").sql, _SALES) == truth
    wrong = compile_without(is_binds_after_comparison, sql, "duckdb").sql
    assert wrong != compile_sql(sql, "duckdb").sql and "NOT sale_id IS NULL" in wrong  # `quantity >= NOT (...)`


def test_bigquery_comparison_operands_are_parenthesised():
    sql = "SELECT status LIKE 'D%' IS NULL AS x FROM fact_sales"
    # BigQuery: comparison operators are non-associative, `a LIKE b IS NULL` is a syntax error.
    assert compile_without(comparisons_non_associative, sql, "bigquery").sql == (
        "SELECT status LIKE 'D%' IS NULL AS x FROM fact_sales")
    assert compile_sql(sql, "bigquery").sql == "SELECT (status LIKE 'D%') IS NULL AS x FROM fact_sales"
    # DuckDB and Snowflake accept the bare form: nothing changes there.
    assert compile_sql(sql, "snowflake").sql == "SELECT status LIKE 'D%' IS NULL AS x FROM fact_sales"


def test_backslash_in_a_duckdb_like_pattern_matches_itself():
    # DuckDB has no default LIKE escape: '%\%%' needs a backslash in the string; BigQuery reads `\%` as a literal %.
    assert duckdb_rows(r"SELECT 'a\b' LIKE '%\%', 'x%y' LIKE '%\%%', 'x\%y' LIKE '%\%%'") == [(True, False, True)]
    sql = r"SELECT status LIKE '%\%%' AS x FROM fact_sales"
    assert compile_without(like_backslash_is_literal, sql, "bigquery").sql == (
        r"SELECT status LIKE '%\\%%' AS x FROM fact_sales")  # the BigQuery string is %\%%: `\%` escapes the %
    assert compile_sql(sql, "bigquery").sql == r"SELECT status LIKE '%\\\\%%' AS x FROM fact_sales"


def test_like_pattern_from_a_column_gets_its_backslashes_doubled():
    sql = "SELECT status LIKE channel AS x FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == r"SELECT status LIKE REPLACE(channel, '\\', '\\\\') AS x FROM fact_sales"
    assert compile_sql(r"SELECT status LIKE 'D%' AS x FROM fact_sales", "bigquery").sql == (
        "SELECT status LIKE 'D%' AS x FROM fact_sales")  # no backslash: untouched


def test_rewritten_arithmetic_keeps_its_parentheses():
    # day_of_week_numbering rewrites isodow(d) to MOD(EXTRACT(DAYOFWEEK FROM d) + 5, 7) + 1 under the multiplication.
    sql = "SELECT 0.5 * isodow(order_date) AS x FROM fact_sales"
    wrong = compile_without(rule_built_operands_parenthesised, sql, "bigquery").sql
    half = "CAST('0.5' AS NUMERIC)"  # the exact decimal literal (exact_decimal_literals)
    assert wrong == f"SELECT {half} * MOD(EXTRACT(DAYOFWEEK FROM order_date) + 5, 7) + 1 AS x FROM fact_sales"
    right = compile_sql(sql, "bigquery").sql
    assert right == f"SELECT {half} * (MOD(EXTRACT(DAYOFWEEK FROM order_date) + 5, 7) + 1) AS x FROM fact_sales"
    # What the unparenthesised text computes for a Wednesday (ISO 3), read by DuckDB's own precedence.
    assert duckdb_rows("SELECT 0.5 * 3, 0.5 * (MOD(4 + 5, 7)) + 1, 0.5 * (MOD(4 + 5, 7) + 1)") == [(1.5, 2.0, 1.5)]


def test_parse_trees_keep_their_own_parentheses():
    sql = "SELECT (quantity - sale_id) - (quantity - 1) AS a, quantity - (sale_id - 1) AS b FROM fact_sales"
    assert compile_sql(sql, "duckdb").sql == sql
