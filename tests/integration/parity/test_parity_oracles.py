"""The three oracles load the same Arrow tables faithfully (names, types, instants) and report engine errors."""

from __future__ import annotations

import pyarrow as pa
import pytest

from toolkit.sql.parity.oracle import OracleError, make_oracle
from toolkit.sql.refs import table_names_for


@pytest.fixture(scope="module")
def fakesnow_oracle(parity_loaded, parity_catalog):
    oracle = make_oracle("snowflake", table_names_for("snowflake", parity_loaded, parity_catalog.names),
                         database="ANALYTICS", schema="GOLD")
    yield oracle
    oracle.close()


def test_fakesnow_tables_use_unquoted_upper_case_columns(fakesnow_oracle, parity_sample):
    amazon = parity_sample.tables["amazon_sales_gold"]
    result = fakesnow_oracle.run(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT ORDER_ID) AS ids, COUNT(DISTINCT order_id) AS same "
        "FROM ANALYTICS.GOLD.AMAZON_SALES_GOLD", parity_sample.tables)
    assert result.column_names == ["N", "IDS", "SAME"]  # Snowflake's upper-case names
    n, ids, same = result.to_pylist()[0].values()
    assert n == amazon.num_rows
    assert ids == same == len(set(amazon.column("Order_ID").to_pylist()))


def test_fakesnow_keeps_values_and_types(fakesnow_oracle, parity_sample):
    fact = parity_sample.tables["fact_sales"]
    result = fakesnow_oracle.run(
        "SELECT sale_id, amount, order_date, order_ts, order_month FROM fact_sales ORDER BY sale_id",
        parity_sample.tables)
    expected = fact.select(["sale_id", "amount", "order_date", "order_ts", "order_month"]).sort_by("sale_id")
    assert result.num_rows == expected.num_rows
    for got, want in zip(result.to_pylist()[:50], expected.to_pylist()[:50]):
        got = {k.lower(): v for k, v in got.items()}
        assert got["amount"] == want["amount"]  # a NUMBER stays an exact decimal
        assert got["order_date"] == want["order_date"] and got["order_month"] == want["order_month"]
        assert got["order_ts"] == want["order_ts"]  # the same instant (UTC)


def test_fakesnow_reloads_other_tables(fakesnow_oracle, parity_sample):
    small = dict(parity_sample.tables)
    small["dim_region"] = parity_sample.tables["dim_region"].slice(0, 3)
    assert fakesnow_oracle.run("SELECT COUNT(*) AS n FROM dim_region", small).column(0)[0].as_py() == 3
    full = fakesnow_oracle.run("SELECT COUNT(*) AS n FROM dim_region", parity_sample.tables).column(0)[0].as_py()
    assert full == parity_sample.tables["dim_region"].num_rows


def test_fakesnow_error_is_the_engine_message(fakesnow_oracle, parity_sample):
    with pytest.raises(OracleError) as caught:
        fakesnow_oracle.run("SELECT no_such_column FROM fact_sales", parity_sample.tables)
    assert "no_such_column" in caught.value.message.lower()


def test_zetasql_gets_only_the_tables_a_query_names(parity_loaded, parity_catalog, parity_sample):
    names = table_names_for("bigquery", parity_loaded, parity_catalog.names)
    oracle = make_oracle("bigquery", names)
    chosen = oracle.tables_for("SELECT 1 FROM `fedkit-demo.gold.dim_region`", parity_sample.tables)
    assert list(chosen) == ["fedkit-demo.gold.dim_region"]
    assert list(oracle.tables_for("SELECT 1 FROM dim_region", parity_sample.tables)) == ["dim_region"]
    result = oracle.run("SELECT COUNT(*) AS n FROM `fedkit-demo.gold.dim_region`", parity_sample.tables)
    assert result.column(0)[0].as_py() == parity_sample.tables["dim_region"].num_rows


def test_duckdb_oracle_runs_and_reports_errors():
    oracle = make_oracle("duckdb")
    tables = {"t": pa.table({"a": [1, 2, None]})}
    assert oracle.run("SELECT SUM(a) AS s FROM t", tables).to_pylist() == [{"s": 3}]
    with pytest.raises(OracleError) as caught:
        oracle.run("SELECT b FROM t", tables)
    assert "b" in caught.value.message and not caught.value.message.startswith("duckdb:")
    oracle.close()


def test_fakesnow_a_table_it_cannot_load_fails_only_the_queries_naming_it():
    oracle = make_oracle("snowflake")
    tables = {"good": pa.table({"a": [1, 2]}), "odd": pa.table({"d": pa.array([1], pa.duration("s"))})}
    try:
        assert oracle.run("SELECT SUM(a) AS s FROM good", tables).column(0)[0].as_py() == 3
        with pytest.raises(OracleError) as caught:
            oracle.run("SELECT * FROM odd", tables)
        assert "cannot load table odd" in caught.value.message
    finally:
        oracle.close()


def test_fakesnow_translation_warnings_stay_off_stderr(fakesnow_oracle, parity_sample, caplog):
    # fakesnow re-reads TO_CHAR(col, fmt) with sqlglot and warns that DuckDB has no `format` for it: that is the
    # oracle's own translation (fedkit's compiled Snowflake SQL states the operand's type), not the user's to act on.
    fakesnow_oracle.run("SELECT TO_CHAR(ORDER_DATE, 'YYYY-MM') AS ym FROM ANALYTICS.GOLD.FACT_SALES LIMIT 1",
                        parity_sample.tables)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("sqlglot")] == []


def test_zetasql_refuses_a_table_bigquery_cannot_read(parity_loaded, parity_catalog, parity_sample):
    """BigQuery external tables take no flexible column names: ZetaSQL would evaluate `Customer Name`, real BigQuery
    cannot register the table, so a parity run must not call BigQuery's result a pass."""
    odd = {**parity_sample.tables, "odd": pa.table({"Customer Name": ["Ann"], "n": [1]})}
    oracle = make_oracle("bigquery", table_names_for("bigquery", parity_loaded, parity_catalog.names))
    with pytest.raises(OracleError) as caught:
        oracle.run("SELECT COUNT(*) AS n FROM odd", odd)
    assert caught.value.message.startswith("table odd: column 'Customer Name' holds ' '; BigQuery external tables take "
                                           "no flexible column names")
    assert oracle.run("SELECT COUNT(*) AS n FROM dim_region", odd).column(0)[0].as_py() == \
        parity_sample.tables["dim_region"].num_rows


def test_fakesnow_result_types_come_from_the_cursor_description(fakesnow_oracle, parity_sample):
    """Issue 13.5: the column types are Snowflake's (NUMBER(p,s), DATE, TIMESTAMP_NTZ/TZ), not guessed from values."""
    from toolkit.sql.parity.result_types import family

    result = fakesnow_oracle.run(
        "SELECT COUNT(*) AS n, MIN(amount) AS low, MIN(order_date) AS d, MIN(order_ts) AS ts, "
        "MIN(order_ts)::TIMESTAMP_NTZ AS ntz, MIN(status) AS s, MIN(quantity) > 0 AS b FROM fact_sales",
        parity_sample.tables)
    assert [family(f.type) for f in result.schema] == [
        "integer", "decimal", "date", "timestamp", "datetime", "string", "boolean"]
    empty = fakesnow_oracle.run("SELECT MIN(amount) AS low FROM fact_sales WHERE quantity < 0", parity_sample.tables)
    assert family(empty.schema.field(0).type) == "decimal"  # typed even when every value is NULL
