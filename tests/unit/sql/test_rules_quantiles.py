"""Exact medians and quantiles: Snowflake's native forms with DuckDB's result types, BigQuery's analytic
PERCENTILE_CONT folded back to the group. Values are proven against ZetaSQL in tests/integration/zetasql."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.quantiles import fold_quantiles_to_windows, snowflake_quantile_type

GROUPED = ("SELECT channel, median(amount) AS m, SUM(quantity) AS q FROM fact_sales WHERE status <> 'Cancelled' "
           "GROUP BY channel HAVING COUNT(*) > 1 ORDER BY m")


def test_duckdb_median_types_and_truncation():
    # The source's semantics, measured on DuckDB 2.0: a DECIMAL median keeps the input type, truncated toward zero.
    values = "(VALUES (1.25::DECIMAL(12, 2), 1, -1.25::DECIMAL(12, 2)), (2.50, 2, -2.50)) v(d, i, n)"
    assert duckdb_rows(f"SELECT median(d), typeof(median(d)), median(i), typeof(median(i)), median(n), "
                       f"quantile_cont(d, 0.3), percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM {values}") == [
        (Decimal("1.87"), "DECIMAL(12,2)", 1.5, "DOUBLE", Decimal("-1.87"), Decimal("1.62"), Decimal("1.87"))]


def test_median_folds_to_a_partitioned_percentile_on_bigquery():
    wrong = compile_without(fold_quantiles_to_windows, GROUPED, "bigquery").sql
    assert "MEDIAN(amount)" in wrong  # BigQuery has no MEDIAN function
    assert compile_sql(GROUPED, "bigquery").sql == (
        "SELECT _c1 AS channel, MAX(_q1) AS m, SUM(_c2) AS q FROM (SELECT TRUNC(PERCENTILE_CONT(amount, "
        "CAST('0.5' AS NUMERIC)) OVER (PARTITION BY channel), 2) AS _q1, channel AS _c1, quantity AS _c2 "
        "FROM fact_sales WHERE status <> 'Cancelled') AS _fedkit_rows GROUP BY channel HAVING COUNT(*) > 1 "
        "ORDER BY m NULLS LAST")  # sqlglot's BigQuery output groups by the select alias when there is an ORDER BY


def test_quantile_of_integers_and_floats_is_float64_on_bigquery():
    sql = "SELECT quantile_cont(quantity, 0.25) AS q, median(discount_pct) AS d FROM fact_sales"
    wrong = compile_without(fold_quantiles_to_windows, sql, "bigquery").sql
    assert "PERCENTILE_CONT(quantity, 0.25) AS q" in wrong  # analytic only on BigQuery: needs OVER
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT MAX(_q1) AS q, MAX(_q2) AS d FROM (SELECT PERCENTILE_CONT(CAST(quantity AS FLOAT64), 0.25) OVER () "
        "AS _q1, PERCENTILE_CONT(discount_pct, 0.5) OVER () AS _q2 FROM fact_sales) AS _fedkit_rows")


def test_within_group_descending_and_joins_fold_on_bigquery():
    sql = ("SELECT f.channel, p.category, percentile_cont(0.9) WITHIN GROUP (ORDER BY f.amount DESC) AS m "
           "FROM fact_sales AS f JOIN dim_product AS p ON f.product_id = p.product_id GROUP BY 1, 2")
    text = compile_sql(sql, "bigquery").sql
    # DESC: the 0.9 quantile from the top is the 0.1 quantile; the join and its aliases stay in the derived table.
    assert "PERCENTILE_CONT(f.amount, CAST('0.1' AS NUMERIC)) OVER (PARTITION BY f.channel, p.category)" in text
    assert "FROM fact_sales AS f JOIN dim_product AS p ON f.product_id = p.product_id) AS _fedkit_rows" in text
    assert text.startswith("SELECT _c1 AS channel, _c2 AS category, MAX(_q1) AS m FROM")


def test_median_in_a_window_becomes_percentile_cont_on_bigquery():
    sql = "SELECT channel, median(amount) OVER (PARTITION BY channel) AS m FROM fact_sales"
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT channel, TRUNC(PERCENTILE_CONT(amount, CAST('0.5' AS NUMERIC)) OVER (PARTITION BY channel), 2) AS m "
        "FROM fact_sales")


@pytest.mark.parametrize("sql, words", [
    ("SELECT\n  median(DISTINCT amount) AS m\nFROM fact_sales", "DISTINCT"),
    ("SELECT\n  median(amount) OVER (ORDER BY sale_id) AS m\nFROM fact_sales", "ordered or framed window"),
    ("SELECT\n  quantile_cont(amount, [0.25, 0.75]) AS m\nFROM fact_sales", "one number literal"),
    ("SELECT\n  channel, median(amount) AS m\nFROM fact_sales GROUP BY ROLLUP (channel)", "ROLLUP"),
    ("SELECT\n  percentile_disc(0.3) WITHIN GROUP (ORDER BY amount DESC) AS m\nFROM fact_sales", "descending"),
    # DuckDB: DECIMAL(12, 2) * DECIMAL(2, 1) is DECIMAL(14, 3), so the median keeps 3 decimals; sqlglot says 2.
    ("SELECT\n  median(amount * 1.5) AS m\nFROM fact_sales", "scale fedkit cannot tell"),
])
def test_what_cannot_be_folded_is_refused_with_its_line(sql, words):
    with pytest.raises(UnportableError) as info:
        compile_sql(sql, "bigquery")
    assert words in str(info.value) and info.value.line == 2 and "use instead:" in str(info.value)


def test_a_decimal_product_changes_the_median_scale_in_duckdb():
    # Why median(amount * 1.5) is refused above: the scale of the product decides the median's digits.
    assert duckdb_rows("SELECT typeof(median(x * 1.5)), median(x * 1.5) FROM (VALUES (1.25::DECIMAL(12, 2)), "
                       "(2.51)) v(x)") == [("DECIMAL(14,3)", Decimal("2.820"))]


def test_snowflake_median_gets_duckdbs_type():
    sql = "SELECT median(amount) AS m, median(quantity) AS q, quantile_cont(discount_pct, 0.25) AS d FROM fact_sales"
    wrong = compile_without(snowflake_quantile_type, sql, "snowflake").sql
    # Snowflake: MEDIAN(1.25, 2.50) = 1.875 (3 more decimals), MEDIAN of integers is a NUMBER, not a DOUBLE.
    assert wrong.startswith("SELECT MEDIAN(amount) AS m, MEDIAN(quantity) AS q")
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT CAST(TRUNC(MEDIAN(amount), 2) AS DECIMAL(38, 2)) AS m, MEDIAN(CAST(quantity AS DOUBLE)) AS q, "
        "PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY discount_pct) AS d FROM fact_sales")
    # What fakesnow (DuckDB underneath) makes of that text gives DuckDB's answers.
    import sqlglot

    back = sqlglot.transpile("SELECT CAST(TRUNC(MEDIAN(x), 2) AS DECIMAL(12, 2)) FROM v", read="snowflake",
                             write="duckdb")[0]
    assert duckdb_rows(back, "CREATE TABLE v AS SELECT * FROM (VALUES (1.25::DECIMAL(12, 2)), (2.50)) t(x)") == [
        (Decimal("1.87"),)]


def test_discrete_quantiles_are_percentile_disc_on_both_clouds():
    # DuckDB quantile(x, f) = quantile_disc(x, f): the smallest value whose cumulative share reaches f, as BigQuery
    # and Snowflake PERCENTILE_DISC (agreement with ZetaSQL checked in tests/integration/zetasql).
    assert duckdb_rows("SELECT quantile(x, 0.3), quantile_disc(x, 0.5), typeof(quantile(x, 0.3)) "
                       "FROM (VALUES (10), (11), (12), (13)) v(x)") == [(11, 11, "INTEGER")]  # 10 reaches 0.25 < 0.3
    sql = "SELECT quantile(amount, 0.3) AS a, quantile_disc(quantity, 0.9) AS b FROM fact_sales"
    assert "QUANTILE(amount, 0.3)" in compile_without(snowflake_quantile_type, sql, "snowflake").sql  # not Snowflake
    assert compile_sql(sql, "snowflake").sql == (
        "SELECT PERCENTILE_DISC(0.3) WITHIN GROUP (ORDER BY amount) AS a, "
        "PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY quantity) AS b FROM fact_sales")
    assert compile_sql(sql, "bigquery").sql == (
        "SELECT MAX(_q1) AS a, MAX(_q2) AS b FROM (SELECT PERCENTILE_DISC(amount, 0.3) OVER () AS _q1, "
        "PERCENTILE_DISC(quantity, 0.9) OVER () AS _q2 FROM fact_sales) AS _fedkit_rows")


def test_filter_becomes_the_quantile_of_a_case():
    sql = "SELECT channel, median(amount) FILTER (WHERE quantity > 1) AS m FROM fact_sales GROUP BY channel"
    assert "TRUNC(PERCENTILE_CONT(CASE WHEN quantity > 1 THEN amount END, CAST('0.5' AS NUMERIC)) OVER " \
           "(PARTITION BY channel), 2) AS _q1" in compile_sql(sql, "bigquery").sql
    assert "CAST(TRUNC(MEDIAN(CASE WHEN quantity > 1 THEN amount END), 2) AS DECIMAL(38, 2)) AS m" in compile_sql(
        sql, "snowflake").sql


def test_snowflake_source_median_folds_without_duckdbs_truncation():
    # Snowflake's MEDIAN(1.25, 2.50) is 1.875 (3 more decimals, docs above): BigQuery NUMERIC keeps it whole.
    sql = "SELECT channel, MEDIAN(amount) AS m FROM fact_sales GROUP BY channel"
    assert "MEDIAN(amount)" in compile_without(fold_quantiles_to_windows, sql, "bigquery", source="snowflake").sql
    text = compile_sql(sql, "bigquery", source="snowflake").sql
    assert "(SELECT PERCENTILE_CONT(amount, CAST('0.5' AS NUMERIC)) OVER (PARTITION BY channel) AS _q1" in text
    assert "TRUNC(" not in text


def test_median_stays_native_on_duckdb():
    assert compile_sql("SELECT median(amount) AS m FROM fact_sales", "duckdb").sql == (
        "SELECT MEDIAN(amount) AS m FROM fact_sales")
