"""Deliberately wrong translations are caught: the result is "mismatch" with both rows side by side."""

from __future__ import annotations

from toolkit.sql.compile import compile_query
from toolkit.sql.parity.runner import check_sql
from toolkit.sql.refs import table_names_for

SOURCE_RATIO = """
SELECT payment_method, SUM(amount) / NULLIF(SUM(CASE WHEN status = 'Nope' THEN 1 ELSE 0 END), 0) AS ratio
FROM fact_sales GROUP BY payment_method
"""
NEVER = "SUM(CASE WHEN status = 'Nope' THEN 1 ELSE 0 END)"
DIV0_RATIO = f"SELECT payment_method, DIV0(SUM(amount), {NEVER}) AS ratio FROM {{fact}} GROUP BY payment_method"
SAFE_RATIO = f"SELECT payment_method, SAFE_DIVIDE(SUM(amount), {NEVER}) AS ratio FROM {{fact}} GROUP BY payment_method"
BY_PAYMENT = "SELECT payment_method, COUNT(*) AS lines FROM fact_sales GROUP BY payment_method ORDER BY payment_method"


def test_div0_is_not_safe_divide(parity_loaded, parity_sample):
    """Snowflake's DIV0 gives 0 where the source's x / NULLIF(y, 0) gives NULL."""
    names = table_names_for("snowflake", parity_loaded, parity_sample.tables)
    result = check_sql(SOURCE_RATIO, DIV0_RATIO.format(fact=names["fact_sales"]), "snowflake", parity_sample.tables,
                       names=names, name="ratio")
    assert result.status == "mismatch", result.message
    assert result.comparison.reference_rows and result.comparison.engine_rows
    assert all(row[1] is None for row in result.comparison.reference_rows)
    assert all(row[1] == 0 for row in result.comparison.engine_rows)
    assert "reference (" in result.message and "vs snowflake (" in result.message


def test_safe_divide_matches_nullif(parity_loaded, parity_sample):
    """Same values; but DuckDB's DECIMAL / INTEGER is a DOUBLE where BigQuery's SAFE_DIVIDE(NUMERIC, INT64) is a
    NUMERIC (DESIGN §6, division), so the hand-written pair is a type mismatch until it divides FLOAT64s."""
    names = table_names_for("bigquery", parity_loaded, parity_sample.tables)
    result = check_sql(SOURCE_RATIO, SAFE_RATIO.format(fact=names["fact_sales"]), "bigquery", parity_sample.tables,
                       names=names)
    assert result.status == "type-mismatch" and result.comparison.passed, result.message
    assert "'ratio': reference float, bigquery decimal" in result.message
    as_float = SAFE_RATIO.replace("SUM(amount)", "CAST(SUM(amount) AS FLOAT64)")
    result = check_sql(SOURCE_RATIO, as_float.format(fact=names["fact_sales"]), "bigquery", parity_sample.tables,
                       names=names)
    assert result.status == "pass", result.message


def test_null_ordering_without_the_rule_is_a_mismatch(parity_loaded, parity_sample):
    """BigQuery sorts NULL first on ASC; the DuckDB source sorts it last."""
    assert parity_sample.tables["fact_sales"].column("payment_method").null_count > 0
    names = table_names_for("bigquery", parity_loaded, parity_sample.tables)
    naive = BY_PAYMENT.replace("FROM fact_sales", f"FROM {names['fact_sales']}")
    result = check_sql(BY_PAYMENT, naive, "bigquery", parity_sample.tables, names=names)
    assert result.status == "mismatch", result.message
    assert result.message.startswith("row 1 differs")
    assert result.comparison.engine_rows[0][0] is None and result.comparison.reference_rows[0][0] is not None


def test_null_ordering_with_the_rule_passes(parity_loaded, parity_catalog, parity_sample):
    names = table_names_for("bigquery", parity_loaded, parity_catalog.names)
    compiled = compile_query(BY_PAYMENT, source_dialect="duckdb", engine="bigquery", catalog=parity_catalog,
                             table_names=names)
    assert "NULLS LAST" in compiled.sql
    assert check_sql(BY_PAYMENT, compiled.sql, "bigquery", parity_sample.tables, names=names).status == "pass"


def test_an_engine_error_carries_the_engine_message(parity_sample):
    result = check_sql("SELECT 1 AS x", "SELECT IFF(TRUE, 1, 0) AS x", "bigquery", parity_sample.tables)
    assert result.status == "error" and "IFF" in result.message
