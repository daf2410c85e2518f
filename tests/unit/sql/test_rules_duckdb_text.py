"""DuckDB string functions whose NULLs, element types or match counts differ on the targets (issue 13 item 2, found
with tests/corpus/duckdb_hunt). ZetaSQL runs the same queries in tests/integration/fuzz/test_duckdb_hunt_regressions."""

from __future__ import annotations

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.builtins import contains_is_case_sensitive, regexp_replace_first_match
from toolkit.sql.rules.duckdb_text import (
    concat_ws_skips_nulls,
    number_text_as_duckdb_prints,
    regexp_extract_empty_without_match,
    regexp_flags_inline,
    regexp_group_on_redshift,
    regexp_replace_first_match_anchored,
    split_element_as_text,
)
from toolkit.sql.rules.strings import split_part_on_bigquery


def test_concat_ws_skips_null_pieces():
    assert duckdb_rows("SELECT concat_ws('/', 'web', NULL, 'Delivered'), concat_ws('/', NULL, NULL), "
                       "concat_ws(NULL, 'a'), concat_ws('-', 'a', 2)") == [("web/Delivered", "", None, "a-2")]
    sql = "SELECT concat_ws('/', channel, payment_method, quantity) AS p FROM fact_sales"
    wrong = compile_without(concat_ws_skips_nulls, sql, "snowflake").sql
    assert "CONCAT_WS('/', COALESCE(channel, ''), COALESCE(payment_method, '')" in wrong  # 'web//Delivered'
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT SUBSTRING(COALESCE('/' || channel, '') || COALESCE('/' || payment_method, '') || "
        "COALESCE('/' || CAST(quantity AS VARCHAR), ''), 2) AS p FROM fact_sales")
    assert compile_sql(sql, "bigquery").sql == (  # BigQuery has no CONCAT_WS
        "SELECT ARRAY_TO_STRING([channel, payment_method, CAST(quantity AS STRING)], '/') AS p FROM fact_sales")


def test_concat_ws_pieces_joined_by_concatenation_mean_the_source():
    # the Snowflake form, run on DuckDB (whose || is NULL on a NULL piece, as Snowflake's): the source's answers
    snowflake_form = ("SELECT SUBSTRING(COALESCE(s || a, '') || COALESCE(s || b, '') || COALESCE(s || c, ''), "
                      "LENGTH(s) + 1) FROM (VALUES ('//', 'web', NULL, 'x'), ('/', NULL, NULL, NULL), "
                      "('/', NULL, 'p', NULL)) AS t(s, a, b, c)")
    assert duckdb_rows(snowflake_form) == [("web//x",), ("",), ("p",)]
    column_separator = compile_sql("SELECT concat_ws(status, channel, order_id) AS p FROM fact_sales", "snowflake")
    assert "IFF(status IS NULL, NULL, SUBSTRING(" in column_separator.sql
    assert "LENGTH(status) + 1" in column_separator.sql


def test_split_element_is_text_and_null_past_the_end():
    assert duckdb_rows("SELECT string_split('a-b', '-')[2], string_split('a-b', '-')[5]") == [("b", None)]
    sql = "SELECT string_split(order_id, '-')[2] AS p FROM fact_sales"
    assert compile_without(split_element_as_text, sql, "snowflake").sql == (
        "SELECT SPLIT(order_id, '-')[1] AS p FROM fact_sales")  # a VARIANT: prints '"b"'
    assert compile_sql(sql, "snowflake").sql == "SELECT CAST(SPLIT(order_id, '-')[1] AS VARCHAR) AS p FROM fact_sales"
    assert compile_without(split_element_as_text, sql, "bigquery").sql == (
        "SELECT SPLIT(order_id, '-')[1] AS p FROM fact_sales")  # an error past the end
    assert compile_sql(sql, "bigquery").sql == "SELECT SPLIT(order_id, '-')[SAFE_OFFSET(1)] AS p FROM fact_sales"


def test_nested_split_part_on_bigquery():
    # found by the fuzzer (seed 20, query 194): the outer split_part was rewritten around the inner one's original
    sql = "SELECT split_part(split_part(order_id, '-', 2), '0', 1) AS p FROM fact_sales"
    right = compile_sql(sql, "bigquery").sql
    assert "SPLIT_PART" not in right.upper().replace("SPLIT_PART_", "")
    assert right.count("SAFE_OFFSET(") == 3  # the inner piece twice (its NULL test, its split), the outer's once
    assert "SPLIT_PART(" in compile_without(split_part_on_bigquery, sql, "bigquery").sql


def test_regexp_replace_first_match_through_an_anchored_pattern():
    assert duckdb_rows("SELECT regexp_replace('delivered', '[aeiou]', '*'), "
                       "regexp_replace('^^x', '^', '#'), regexp_replace('a\nb', 'b', 'c')") == [
        ("d*livered", "#^^x", "a\nc")]
    sql = "SELECT regexp_replace(status, '[aeiou]', '*') AS p FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT REGEXP_REPLACE(status, '^((?s:.*?))(?:[aeiou])', '\\\\1*') AS p FROM fact_sales")
    try:
        compile_without(regexp_replace_first_match_anchored, sql, "bigquery")
    except Exception as exc:  # without the rewrite: refused (BigQuery replaces every match)
        assert "replaces only the first match" in str(exc)
    else:
        raise AssertionError("expected a refusal without the anchored rewrite")
    backreference = "SELECT regexp_replace(status, '(e)', '\\1\\1') AS p FROM fact_sales"
    try:  # a replacement with group references keeps the refusal: its numbers would shift
        compile_sql(backreference, "bigquery")
    except Exception as exc:
        assert "replaces only the first match" in str(exc)
    else:
        raise AssertionError("expected a refusal")
    assert regexp_replace_first_match  # the refusal the rewrite runs before
    # the anchored form on DuckDB (RE2 too) gives the source's answers, newlines included
    assert duckdb_rows("SELECT regexp_replace('delivered', '^((?s:.*?))(?:[aeiou])', '\\1*', 'g'), "
                       "regexp_replace('^^x', '^((?s:.*?))(?:^)', '\\1#', 'g'), "
                       "regexp_replace('a\nb', '^((?s:.*?))(?:b)', '\\1c', 'g')") == [("d*livered", "#^^x", "a\nc")]


def test_contains_on_athena_and_redshift_is_a_substring_test():
    sql = "SELECT contains(subcategory, 'one') AS c FROM dim_product"
    assert compile_without(contains_is_case_sensitive, sql, "athena").sql == (
        "SELECT CONTAINS(subcategory, 'one') AS c FROM dim_product")  # Trino: contains(array, element)
    assert compile_sql(sql, "athena").sql == "SELECT STRPOS(subcategory, 'one') > 0 AS c FROM dim_product"
    assert compile_sql(sql, "redshift").sql == "SELECT POSITION('one' IN subcategory) > 0 AS c FROM dim_product"


def test_regexp_replace_on_athena_and_redshift_replaces_every_match_only():
    every = "SELECT regexp_replace(status, '[aeiou]', '*', 'g') AS c FROM fact_sales"
    for engine in ("athena", "redshift"):
        assert compile_without(regexp_replace_first_match, every, engine).sql.endswith(
            "REGEXP_REPLACE(status, '[aeiou]', '*', 'g') AS c FROM fact_sales")  # a 4th argument they reject
        assert compile_sql(every, engine).sql == "SELECT REGEXP_REPLACE(status, '[aeiou]', '*') AS c FROM fact_sales"
        with pytest.raises(UnportableError, match="replaces every match"):
            compile_sql("SELECT regexp_replace(status, '[aeiou]', '*') AS c FROM fact_sales", engine)


def test_redshift_standin_replaces_every_match_as_redshift_does():
    from toolkit.engines.aws_translate import to_duckdb
    from sqltest_catalog import sample_catalog

    translated = to_duckdb("SELECT REGEXP_REPLACE(status, 'a', '-') AS c FROM fact_sales", "redshift",
                           sample_catalog())
    assert "'g')" in translated
    assert duckdb_rows("SELECT regexp_replace('banana', 'a', '-', 'g')") == [("b-n-n-",)]


def test_concat_ws_on_redshift_keeps_the_separators():
    sql = "SELECT concat_ws('/', channel, payment_method) AS p FROM fact_sales"
    wrong = compile_without(concat_ws_skips_nulls, sql, "redshift").sql
    assert "channel || '/' || payment_method" in wrong  # NULL when either part is NULL; DuckDB skips that part
    right = compile_sql(sql, "redshift").sql
    assert right.startswith("SELECT SUBSTRING(COALESCE('/' || channel, '') || COALESCE('/' || payment_method, '') "
                            "FROM 2 FOR LENGTH(")


def test_regexp_extract_is_empty_without_a_match():
    assert duckdb_rows("SELECT regexp_extract('Delivered', 'z+'), regexp_extract(NULL, 'z+'), "
                       "regexp_extract('a1', '([0-9]+)', 1)") == [("", None, "1")]
    sql = "SELECT regexp_extract(status, 'z+') AS r FROM fact_sales"
    assert compile_without(regexp_extract_empty_without_match, sql, "bigquery").sql == (
        "SELECT REGEXP_EXTRACT(status, 'z+') AS r FROM fact_sales")  # NULL without a match
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT CASE WHEN status IS NULL THEN NULL ELSE COALESCE(REGEXP_EXTRACT(status, 'z+'), '') END AS r "
        "FROM fact_sales")
    assert "COALESCE(REGEXP_SUBSTR(status, 'z+'), '')" in compile_sql(sql, "snowflake").sql
    assert compile_sql(sql, "duckdb").sql == "SELECT REGEXP_EXTRACT(status, 'z+') AS r FROM fact_sales"


def test_regexp_group_on_redshift_uses_the_e_parameter():
    sql = "SELECT regexp_extract(channel, '([a-z]+)place', 1) AS m FROM fact_sales"
    assert compile_without(regexp_group_on_redshift, sql, "redshift").sql == (
        "SELECT REGEXP_SUBSTR(channel, '([a-z]+)place', 1) AS m FROM fact_sales")  # 1 is the position: whole match
    assert compile_sql(sql, "redshift").sql == (
        "SELECT REGEXP_SUBSTR(channel, '([a-z]+)place', 1, 1, 'e') AS m FROM fact_sales")
    with pytest.raises(UnportableError, match="group after the first"):
        compile_sql("SELECT regexp_extract(order_id, '([A-Z]+)-([0-9]+)', 2) AS g FROM fact_sales", "redshift")
    from sqltest_catalog import sample_catalog

    from toolkit.engines.aws_translate import to_duckdb

    standin = to_duckdb(compile_sql(sql, "redshift").sql, "redshift", sample_catalog())
    assert "REGEXP_EXTRACT(channel, '([a-z]+)place', 1)" in standin  # the stand-in reads 'e' as Redshift does


def test_numbers_print_as_duckdb_prints_them_on_bigquery():
    assert duckdb_rows("SELECT CAST(CAST('20.90' AS DECIMAL(12, 2)) AS VARCHAR), "
                       "CAST(CAST('123' AS DOUBLE) AS VARCHAR), CAST(CAST('0.05' AS DOUBLE) AS VARCHAR)") == [("20.90", "123.0", "0.05")]
    sql = "SELECT CAST(amount AS VARCHAR) AS s, discount_pct::VARCHAR AS d FROM fact_sales"
    assert compile_without(number_text_as_duckdb_prints, sql, "bigquery").sql == (
        "SELECT CAST(amount AS STRING) AS s, CAST(discount_pct AS STRING) AS d FROM fact_sales")  # '20.9', '123'
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT FORMAT('%.2f', amount) AS s, CASE WHEN REGEXP_CONTAINS(CAST(discount_pct AS STRING), '^-?[0-9]+$') "
        "THEN CAST(discount_pct AS STRING) || '.0' ELSE CAST(discount_pct AS STRING) END AS d FROM fact_sales")
    assert compile_sql(sql, "snowflake").sql == (  # Snowflake keeps a NUMBER's scale in its text
        "SELECT CAST(amount AS VARCHAR) AS s, CAST(discount_pct AS VARCHAR) AS d FROM fact_sales")


def test_regexp_option_i_is_written_inside_the_pattern_on_bigquery():
    assert duckdb_rows("SELECT regexp_matches('Delivered', '^deliv', 'i'), regexp_matches('Delivered', '^deliv')") == [
        (True, False)]
    sql = "SELECT regexp_matches(status, '^deliv', 'i') AS m FROM fact_sales"
    assert compile_without(regexp_flags_inline, sql, "bigquery").sql == (
        "SELECT REGEXP_CONTAINS(status, '^deliv', 'i') AS m FROM fact_sales")  # no 3-argument form
    assert compile_sql(sql, "bigquery").sql == "SELECT REGEXP_CONTAINS(status, '(?i)^deliv') AS m FROM fact_sales"
