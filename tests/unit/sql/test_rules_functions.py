"""Conditionals, dates, aggregates, regexes and identifiers: each rule shows what the target gets without it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows, without_rule

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.aggregates import (
    any_value_skips_nulls,
    regexp_partial_match,
    string_agg_separator,
)
from toolkit.sql.rules.conditionals import (
    count_if_null_without_known_condition,
    greatest_least_skip_nulls,
    portable_conditionals,
)
from toolkit.sql.rules.dates import (
    calendar_parts,
    date_trunc_keeps_date,
    day_of_week_numbering,
    format_operand_typed,
    full_day_month_names,
    portable_format_codes,
    week_numbering,
)
from toolkit.sql.rules.identifiers import snowflake_identifier_case
from toolkit.sql.rules.strings import split_part_on_bigquery


def test_if_and_count_if_become_case_everywhere():
    sql = "SELECT COUNT_IF(status = 'Cancelled') AS c, IF(quantity > 1, 'multi', 'single') AS k FROM fact_sales"
    with without_rule(count_if_null_without_known_condition):
        wrong = compile_without(portable_conditionals, sql, "snowflake").sql
    assert "COUNT_IF(" in wrong and "IFF(" in wrong  # engine-specific spellings
    for engine in ("bigquery", "snowflake"):
        text = compile_sql(sql, engine).sql
        assert "SUM(CASE WHEN status = 'Cancelled' THEN 1 WHEN NOT status = 'Cancelled' THEN 0 END)" in text
        assert "CASE WHEN quantity > 1 THEN 'multi' ELSE 'single' END" in text
        assert "IFF" not in text and "COUNTIF" not in text and "COUNT_IF" not in text
    # From a BigQuery or Snowflake source COUNTIF over no rows is 0, as COUNT(CASE ...) is everywhere.
    bq = "SELECT COUNTIF(status = 'Cancelled') AS c FROM fact_sales"
    assert "COUNT(CASE WHEN status = 'Cancelled' THEN 1 END)" in compile_sql(bq, "snowflake", source="bigquery").sql
    assert "COUNT(CASE WHEN status = 'Cancelled' THEN 1 END)" in compile_sql(bq, "duckdb", source="bigquery").sql


def test_count_if_over_no_known_condition_stays_null_as_in_duckdb():
    # DuckDB 2.0: count_if over no rows, or over a group whose conditions are all NULL, is NULL (not 0).
    data = "(VALUES (1, 'a'), (NULL, 'b'), (7, 'a')) v(x, g)"
    source = f"SELECT g, COUNT_IF(x > 5) AS c FROM {data} GROUP BY g ORDER BY g"
    assert duckdb_rows(source) == [("a", 1), ("b", None)]
    assert duckdb_rows(f"SELECT COUNT_IF(x > 5) FROM {data} WHERE FALSE") == [(None,)]
    # Without the rule the clouds get COUNT(CASE ...) (what BigQuery COUNTIF / Snowflake COUNT_IF mean): 0, not NULL.
    sql = "SELECT COUNT_IF(quantity > 5) AS c FROM fact_sales"
    wrong = compile_without(count_if_null_without_known_condition, sql, "bigquery").sql
    assert wrong == "SELECT COUNT(CASE WHEN quantity > 5 THEN 1 END) AS c FROM fact_sales"
    assert duckdb_rows(f"SELECT COUNT(CASE WHEN x > 5 THEN 1 END) FROM {data} WHERE FALSE") == [(0,)]
    for engine in ("bigquery", "snowflake"):
        text = compile_sql(sql, engine).sql
        assert text == "SELECT SUM(CASE WHEN quantity > 5 THEN 1 WHEN NOT quantity > 5 THEN 0 END) AS c FROM fact_sales"
    rewritten = f"SELECT g, SUM(CASE WHEN x > 5 THEN 1 WHEN NOT x > 5 THEN 0 END) FROM {data} GROUP BY g ORDER BY g"
    assert duckdb_rows(rewritten) == duckdb_rows(source)
    assert compile_sql(sql, "duckdb").sql == "SELECT COUNT_IF(quantity > 5) AS c FROM fact_sales"  # the source itself


def test_case_forms_keep_null_conditions_out():
    # A NULL condition: COUNT_IF skips it and IF takes the ELSE branch; the CASE forms agree.
    rows = duckdb_rows(
        "SELECT COUNT_IF(x > 1), COUNT(CASE WHEN x > 1 THEN 1 END), "
        "SUM(IF(x > 1, 0, 10)), SUM(CASE WHEN x > 1 THEN 0 ELSE 10 END) "
        "FROM (VALUES (1), (NULL), (3)) v(x)"
    )
    assert rows == [(1, 1, 20, 20)]


def test_date_trunc_of_a_date_stays_a_date():
    sql = "SELECT date_trunc('month', order_date) AS m FROM fact_sales"
    wrong = compile_without(date_trunc_keeps_date, sql, "bigquery").sql
    assert wrong == "SELECT TIMESTAMP_TRUNC(order_date, MONTH) AS m FROM fact_sales"  # TIMESTAMP, not DATE
    assert compile_sql(sql, "bigquery").sql == "SELECT DATE_TRUNC(order_date, MONTH) AS m FROM fact_sales"
    assert compile_sql(sql, "snowflake").sql == "SELECT DATE_TRUNC('MONTH', order_date) AS m FROM fact_sales"
    duck = compile_sql(sql, "duckdb").sql
    assert duck == "SELECT CAST(DATE_TRUNC('MONTH', order_date) AS DATE) AS m FROM fact_sales"
    assert duckdb_rows("SELECT typeof(date_trunc('month', DATE '2024-05-17'))") == [("TIMESTAMP",)]


def test_bigquery_date_trunc_of_a_date_stays_a_date_on_duckdb():
    """BigQuery DATE_TRUNC(d, MONTH) is a DATE; DuckDB's date_trunc of a DATE is a TIMESTAMP (found by parity's
    type check, issue 13.5): compiled for DuckDB it is cast back to DATE."""
    sql = "SELECT DATE_TRUNC(order_date, MONTH) AS m FROM fact_sales"
    wrong = compile_without(date_trunc_keeps_date, sql, "duckdb", source="bigquery").sql
    assert wrong == "SELECT DATE_TRUNC('MONTH', order_date) AS m FROM fact_sales"  # a TIMESTAMP on DuckDB
    right = compile_sql(sql, "duckdb", "bigquery").sql
    assert right == "SELECT CAST(DATE_TRUNC('MONTH', order_date) AS DATE) AS m FROM fact_sales"
    assert duckdb_rows("SELECT typeof(CAST(DATE_TRUNC('MONTH', DATE '2024-05-17') AS DATE))") == [("DATE",)]


def test_week_truncation_starts_on_monday_on_bigquery():
    sql = "SELECT date_trunc('week', order_date) AS w FROM fact_sales"
    assert "DATE_TRUNC(order_date, WEEK(MONDAY))" in compile_sql(sql, "bigquery").sql
    # DuckDB weeks start on Monday: 2024-01-07 is a Sunday, its week began on Monday 2024-01-01 (BigQuery's
    # plain WEEK would say Sunday 2024-01-07).
    assert duckdb_rows("SELECT CAST(date_trunc('week', DATE '2024-01-07') AS DATE)") == [(dt.date(2024, 1, 1),)]
    ts = "SELECT date_trunc('week', order_ts) AS w FROM fact_sales"
    assert "WEEK(MONDAY)" in compile_sql(ts, "bigquery").sql


def test_day_of_week_numbering_follows_the_source():
    sql = "SELECT dayofweek(order_date) AS d FROM fact_sales"
    wrong = compile_without(day_of_week_numbering, sql, "bigquery").sql
    assert "DAY_OF_WEEK(order_date)" in wrong  # not a BigQuery function (and BigQuery's EXTRACT counts from 1)
    assert "(EXTRACT(DAYOFWEEK FROM order_date) - 1)" in compile_sql(sql, "bigquery").sql
    assert "DAYOFWEEKISO(order_date) % 7" in compile_sql(sql, "snowflake").sql
    assert duckdb_rows("SELECT dayofweek(DATE '2024-01-07'), isodow(DATE '2024-01-07') % 7") == [(0, 0)]


def test_week_numbers_are_iso_weeks_as_in_duckdb():
    sql = ("SELECT week(order_date) AS a, weekofyear(order_date) AS b, EXTRACT(WEEK FROM order_date) AS c "
           "FROM fact_sales")
    wrong_bq = compile_without(week_numbering, sql, "bigquery").sql
    assert "WEEK(order_date)" in wrong_bq  # no such BigQuery function
    assert "EXTRACT(WEEK FROM order_date)" in wrong_bq  # Sunday-based weeks from 0
    wrong_sf = compile_without(week_numbering, sql, "snowflake").sql
    assert "DATE_PART(WEEK, order_date)" in wrong_sf  # follows WEEK_OF_YEAR_POLICY / WEEK_START
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT EXTRACT(ISOWEEK FROM order_date) AS a, EXTRACT(ISOWEEK FROM order_date) AS b, "
        "EXTRACT(ISOWEEK FROM order_date) AS c FROM fact_sales")
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT WEEKISO(order_date) AS a, WEEKISO(order_date) AS b, WEEKISO(order_date) AS c FROM fact_sales")
    # DuckDB's weeks are ISO: Monday 2024-12-30 is in week 1 of 2025 (BigQuery's EXTRACT(WEEK) says 52), and
    # Monday 2024-01-01 is week 1 (BigQuery's Sunday-based EXTRACT(WEEK) says 0).
    assert duckdb_rows("SELECT week(DATE '2024-12-30'), EXTRACT(WEEK FROM DATE '2024-01-01')") == [(1, 1)]


def test_extract_from_a_zoned_timestamp_compiles_for_duckdb():
    # sqlglot refuses it for DuckDB (the answer depends on the session time zone); every fedkit session is UTC.
    sql = "SELECT EXTRACT(HOUR FROM order_ts) AS h FROM fact_sales"
    assert compile_sql(sql, "duckdb").sql == "SELECT EXTRACT(HOUR FROM order_ts) AS h FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == "SELECT EXTRACT(HOUR FROM order_ts) AS h FROM fact_sales"


def test_format_operand_is_typed_so_a_sqlglot_reader_keeps_the_format():
    import sqlglot

    sql = "SELECT strftime(order_date, '%Y-%m-%d') AS d FROM fact_sales"
    wrong = compile_without(format_operand_typed, sql, "snowflake").sql
    assert wrong == "SELECT TO_CHAR(order_date, 'yyyy-mm-DD') AS d FROM fact_sales"
    # How fakesnow (sqlglot) reads that back: the format is gone, the date is merely cast to text.
    read_back = sqlglot.transpile(wrong, read="snowflake", write="duckdb")[0]
    assert read_back == "SELECT CAST(order_date AS TEXT) AS d FROM fact_sales"
    right = compile_sql(sql, "snowflake").sql
    assert right == "SELECT TO_CHAR(CAST(order_date AS DATE), 'yyyy-mm-DD') AS d FROM fact_sales"
    read_back = sqlglot.transpile(right, read="snowflake", write="duckdb")[0]
    assert "STRFTIME(CAST(order_date AS DATE), '%Y-%m-%d')" in read_back


def test_untranslatable_format_codes_are_refused():
    sql = "SELECT\n  strftime(order_date, '%A %j') AS d\nFROM fact_sales"
    wrong = compile_without(portable_format_codes, sql, "snowflake").sql
    assert "%A %j" in wrong  # Snowflake TO_CHAR would print these literally
    with pytest.raises(UnportableError) as info:
        compile_sql(sql, "snowflake")
    assert info.value.line == 2 and "%A, %j" in str(info.value)
    ok = compile_sql("SELECT strftime(order_date, '%Y-%m') AS d FROM fact_sales", "snowflake").sql
    assert "TO_CHAR(CAST(order_date AS DATE), 'yyyy-mm')" in ok


def test_approx_functions_are_refused():
    with pytest.raises(UnportableError, match="approximate"):
        compile_sql("SELECT approx_count_distinct(order_id) AS n FROM fact_sales", "snowflake")


def test_string_agg_keeps_its_default_separator_on_snowflake():
    sql = "SELECT STRING_AGG(brand) AS b FROM dim_product"
    wrong = compile_without(string_agg_separator, sql, "snowflake").sql
    assert "LISTAGG(brand)" in wrong  # Snowflake's default separator is '' (DuckDB's is ',')
    assert "LISTAGG(brand, ',')" in compile_sql(sql, "snowflake").sql
    assert duckdb_rows("SELECT STRING_AGG(x) FROM (VALUES ('a'), ('b')) v(x)") == [("a,b",)]


def test_partial_regex_match_on_snowflake():
    sql = "SELECT regexp_matches(brand, 'ac') AS m FROM dim_product"
    wrong = compile_without(regexp_partial_match, sql, "snowflake").sql
    assert "REGEXP_LIKE(brand, 'ac')" in wrong  # anchored on Snowflake: 'Acme' no longer matches 'cm'
    assert "REGEXP_INSTR(brand, 'ac') > 0" in compile_sql(sql, "snowflake").sql
    assert duckdb_rows("SELECT regexp_matches('black', 'ac'), regexp_full_match('black', 'ac')") == [(True, False)]


def test_mixed_case_columns_are_unquoted_for_snowflake():
    sql = 'SELECT "Order_ID", Category, "Date" FROM amazon_sales_gold ORDER BY "Order_ID"'
    wrong = compile_without(snowflake_identifier_case, sql, "snowflake").sql
    assert '"Order_ID"' in wrong  # case-sensitive on Snowflake: misses the ORDER_ID virtual column
    right = compile_sql(sql, "snowflake").sql
    assert right == "SELECT Order_ID, Category, Date FROM amazon_sales_gold ORDER BY Order_ID NULLS LAST"
    reserved = compile_sql('SELECT "Status" AS "group" FROM amazon_sales_gold', "snowflake").sql
    assert reserved == 'SELECT Status AS "GROUP" FROM amazon_sales_gold'


def test_backticked_bigquery_names_do_not_become_quoted_lowercase_on_snowflake():
    sql = "SELECT `Category` FROM `amazon_sales_gold`"
    text = compile_sql(sql, "snowflake", source="bigquery").sql
    assert text == "SELECT Category FROM amazon_sales_gold"


def test_quoted_snowflake_source_names_stay_quoted():
    # In Snowflake SQL a quoted "Order_ID" is case-sensitive and distinct from the unquoted ORDER_ID: unquoting it
    # would silently switch columns. Only names from a case-insensitive source (DuckDB, BigQuery) are unquoted.
    sql = 'SELECT "Order_ID", order_id, "group" FROM amazon_sales_gold'
    assert compile_sql(sql, "snowflake", source="snowflake").sql == sql
    from_duckdb = compile_sql('SELECT "Order_ID" FROM amazon_sales_gold', "snowflake").sql
    assert from_duckdb == "SELECT Order_ID FROM amazon_sales_gold"


def test_count_if_of_a_compound_condition_negates_all_of_it():
    text = compile_sql("SELECT COUNT_IF(quantity > 1 AND status = 'x') AS c FROM fact_sales", "snowflake").sql
    assert "WHEN NOT (quantity > 1 AND status = 'x') THEN 0" in text


def test_any_value_keeps_duckdbs_non_null_pick():
    # DuckDB any_value skips NULLs; ZetaSQL's ANY_VALUE may return the NULL row and rejects IGNORE NULLS.
    data = "(VALUES ('a', NULL), ('a', 'p'), ('b', NULL)) v(g, x)"
    assert duckdb_rows(f"SELECT g, any_value(x) FROM {data} GROUP BY g ORDER BY g") == [("a", "p"), ("b", None)]
    sql = "SELECT channel, ANY_VALUE(payment_method) AS p FROM fact_sales GROUP BY channel"
    wrong = compile_without(any_value_skips_nulls, sql, "bigquery").sql
    assert "ANY_VALUE(payment_method IGNORE NULLS)" in wrong  # a BigQuery error
    assert "ANY_VALUE(payment_method) IGNORE NULLS" in compile_without(any_value_skips_nulls, sql, "snowflake").sql
    for engine in ("bigquery", "snowflake"):
        text = compile_sql(sql, engine).sql
        assert text == "SELECT channel, MIN(payment_method) AS p FROM fact_sales GROUP BY channel"
    assert duckdb_rows(f"SELECT g, MIN(x) FROM {data} GROUP BY g ORDER BY g") == [("a", "p"), ("b", None)]


def test_greatest_and_least_skip_null_arguments_on_bigquery_as_in_duckdb():
    sql = "SELECT GREATEST(payment_method, channel) AS g, LEAST(quantity, 2, NULL) AS l FROM fact_sales"
    wrong = compile_without(greatest_least_skip_nulls, sql, "bigquery").sql
    assert "GREATEST(payment_method, channel)" in wrong  # NULL as soon as payment_method is NULL
    text = compile_sql(sql, "bigquery").sql
    assert "GREATEST(COALESCE(payment_method, channel), COALESCE(channel, payment_method))" in text
    assert "LEAST(COALESCE(quantity, 2, NULL), COALESCE(2, quantity, NULL), COALESCE(NULL, quantity, 2))" in text
    assert "GREATEST_IGNORE_NULLS(payment_method, channel)" in compile_sql(sql, "snowflake").sql
    assert duckdb_rows("SELECT GREATEST(NULL, 'b'), LEAST(3, NULL, 2), GREATEST(NULL::INT, NULL)") == [("b", 2, None)]
    # A clamp nests one in the other: the inner call is rewritten too (DuckDB gives 1 for a NULL discount, not 0).
    clamp = compile_sql("SELECT GREATEST(0, LEAST(discount_pct, 1)) AS d FROM fact_sales", "bigquery").sql
    assert "LEAST(COALESCE(discount_pct, 1), COALESCE(1, discount_pct))" in clamp
    assert "LEAST(discount_pct, 1)" not in clamp
    assert duckdb_rows("SELECT GREATEST(0, LEAST(NULL::DOUBLE, 1))") == [(1.0,)]


def test_day_and_month_names_are_full_english_names_everywhere():
    sql = "SELECT dayname(order_date) AS d, monthname(order_ts) AS m FROM fact_sales"
    wrong_sf = compile_without(full_day_month_names, sql, "snowflake").sql
    assert "DAYNAME(order_date)" in wrong_sf  # Snowflake answers 'Fri', not 'Friday'
    wrong_bq = compile_without(full_day_month_names, sql, "bigquery").sql
    assert "DAYNAME(" in wrong_bq  # no such BigQuery function
    bq = compile_sql(sql, "bigquery").sql
    assert "FORMAT_DATE('%A', CAST(order_date AS DATE))" in bq and "FORMAT_DATE('%B', CAST(order_ts AS DATE))" in bq
    sf = compile_sql(sql, "snowflake").sql
    assert "CASE DAYNAME(order_date) WHEN 'Mon' THEN 'Monday'" in sf and "WHEN 'Sep' THEN 'September'" in sf
    assert duckdb_rows("SELECT dayname(DATE '2024-04-05'), monthname(DATE '2024-09-05')") == [("Friday", "September")]


def test_calendar_parts_use_each_engines_iso_forms():
    sql = ("SELECT dayofyear(order_date) AS a, EXTRACT(DOY FROM order_date) AS b, isoyear(order_date) AS c, "
           "yearweek(order_date) AS d FROM fact_sales")
    wrong_bq = compile_without(calendar_parts, sql, "bigquery").sql
    assert "DAY_OF_YEAR(order_date)" in wrong_bq and "isoyear(order_date)" in wrong_bq  # no such BigQuery functions
    wrong_sf = compile_without(calendar_parts, sql, "snowflake").sql
    assert "YEARWEEK(order_date)" in wrong_sf  # follows WEEK_START, not ISO
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT EXTRACT(DAYOFYEAR FROM order_date) AS a, EXTRACT(DAYOFYEAR FROM order_date) AS b, "
        "EXTRACT(ISOYEAR FROM order_date) AS c, "
        "(EXTRACT(ISOYEAR FROM order_date) * 100 + EXTRACT(ISOWEEK FROM order_date)) AS d FROM fact_sales")
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT DAYOFYEAR(order_date) AS a, DAYOFYEAR(order_date) AS b, YEAROFWEEKISO(order_date) AS c, "
        "(YEAROFWEEKISO(order_date) * 100 + WEEKISO(order_date)) AS d FROM fact_sales")
    # 2022-01-01 belongs to ISO week 52 of 2021 in DuckDB.
    assert duckdb_rows("SELECT isoyear(DATE '2022-01-01'), yearweek(DATE '2022-01-01')") == [(2021, 202152)]


def test_split_part_on_bigquery_keeps_duckdbs_edges():
    sql = "SELECT split_part(order_id, '-', 2) AS p FROM fact_sales"
    assert "SPLIT_PART(order_id, '-', 2)" in compile_without(split_part_on_bigquery, sql, "bigquery").sql
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT CASE WHEN order_id IS NULL OR '-' IS NULL THEN NULL "
        "ELSE COALESCE(SPLIT(order_id, '-')[SAFE_OFFSET(1)], '') END AS p FROM fact_sales")
    assert "SPLIT_PART(order_id, '-', 2)" in compile_sql(sql, "snowflake").sql  # the same function there
    assert duckdb_rows("SELECT split_part('a-b', '-', 5), split_part(NULL, '-', 1)") == [("", None)]
    with pytest.raises(UnportableError, match="positive literal"):
        compile_sql("SELECT split_part(order_id, '-', -1) AS p FROM fact_sales", "bigquery")
