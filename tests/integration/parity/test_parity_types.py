"""Parity compares result column types too (issue 13.5): same digits in another type is `type-mismatch`."""

from __future__ import annotations

from toolkit.sql.parity.runner import check_sql
from toolkit.sql.refs import table_names_for

MONTHS = "SELECT CAST(date_trunc('month', order_date) AS DATE) AS m, COUNT(*) AS n FROM fact_sales GROUP BY 1"
TOTAL = "SELECT SUM(amount) AS total FROM fact_sales"


def test_a_date_that_became_a_timestamp_is_a_type_mismatch(parity_loaded, parity_sample):
    """sqlglot without types turns DuckDB's date_trunc of a DATE into BigQuery's TIMESTAMP_TRUNC (DESIGN §6), which
    ZetaSQL answers with a DATETIME: the same midnights, another type."""
    names = table_names_for("bigquery", parity_loaded, parity_sample.tables)
    fact = names["fact_sales"]
    wrong = check_sql(MONTHS, f"SELECT TIMESTAMP_TRUNC(order_date, MONTH) AS m, COUNT(*) AS n FROM {fact} GROUP BY 1",
                      "bigquery", parity_sample.tables, names=names)
    assert wrong.status == "type-mismatch", wrong.message
    assert "column 1 'm': reference date, bigquery datetime" in wrong.message
    assert wrong.to_json()["types"] == [{"column": "m", "reference": "date", "engine": "datetime"}]
    right = check_sql(MONTHS, f"SELECT DATE_TRUNC(order_date, MONTH) AS m, COUNT(*) AS n FROM {fact} GROUP BY 1",
                      "bigquery", parity_sample.tables, names=names)
    assert right.status == "pass", right.message
    assert "types" not in right.to_json()


def test_a_decimal_that_became_float64_is_a_type_mismatch(parity_loaded, parity_sample):
    names = table_names_for("bigquery", parity_loaded, parity_sample.tables)
    fact = names["fact_sales"]
    wrong = check_sql(TOTAL, f"SELECT SUM(CAST(amount AS FLOAT64)) AS total FROM {fact}", "bigquery",
                      parity_sample.tables, names=names)
    assert wrong.status == "type-mismatch" and "reference decimal, bigquery float" in wrong.message
    assert check_sql(TOTAL, f"SELECT SUM(amount) AS total FROM {fact}", "bigquery", parity_sample.tables,
                     names=names).status == "pass"


def test_an_integer_count_as_a_float_is_a_type_mismatch_on_duckdb(parity_sample):
    wrong = check_sql("SELECT COUNT(*) AS n FROM fact_sales", "SELECT CAST(COUNT(*) AS DOUBLE) AS n FROM fact_sales",
                      "duckdb", parity_sample.tables)
    assert wrong.status == "type-mismatch" and "reference integer, duckdb float" in wrong.message


def test_fakesnow_known_type_infidelity_is_accepted_and_stated(parity_loaded, parity_sample):
    """fakesnow sums NUMBER as DOUBLE (real Snowflake keeps NUMBER): not the KPI's fault, so not a type-mismatch;
    a string where the reference has a number still is."""
    names = table_names_for("snowflake", parity_loaded, parity_sample.tables)
    fact = names["fact_sales"]
    assert check_sql(TOTAL, f"SELECT SUM(amount) AS total FROM {fact}", "snowflake", parity_sample.tables,
                     names=names).status == "pass"
    wrong = check_sql(TOTAL, f"SELECT TO_VARCHAR(SUM(amount)) AS total FROM {fact}", "snowflake",
                      parity_sample.tables, names=names)
    assert wrong.status in ("mismatch", "type-mismatch")
