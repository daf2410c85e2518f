"""Rules found by KPIs written independently in BigQuery SQL (tests/corpus/bigquery_hunt): each compiled query gives
ZetaSQL's answer (BigQuery's reference evaluator) on DuckDB and fakesnow, and without its rule the answer, its type or
its text is wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest
from sqltest_helpers import compile_sql, compile_without

from toolkit.sql.parity.runner import check_sql
from toolkit.sql.rules import bigquery_values as bqv
from toolkit.sql.rules.bigquery_dates import iso_year_truncation

_UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    days = [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2023, 12, 31), dt.date(2024, 3, 15),
            dt.date(1969, 12, 31), dt.date(2024, 5, 31)]
    n = len(days)
    # sub-second parts that round up (.6, .9996) and one before the epoch: truncation is not rounding
    stamps = [dt.datetime(2024, 1, 31, 10, 0, 7, 600_000, tzinfo=_UTC),
              dt.datetime(2024, 2, 29, 23, 59, 59, 999_600, tzinfo=_UTC),
              dt.datetime(2023, 12, 31, 0, 0, 0, 400_000, tzinfo=_UTC),
              dt.datetime(2024, 3, 15, 12, 30, 1, 500_500, tzinfo=_UTC),
              dt.datetime(1969, 12, 31, 23, 59, 58, 700_000, tzinfo=_UTC),
              dt.datetime(2024, 5, 31, 8, 0, 0, tzinfo=_UTC)]
    return {"fact_sales": pa.table({
        "sale_id": pa.array(range(n), pa.int64()),
        "order_id": pa.array(["A-1-x", "B-22", "C", "D-4-y-z", "E-5", "F-6-x"], pa.string()),
        "order_date": pa.array(days, pa.date32()),
        "order_ts": pa.array(stamps, pa.timestamp("us", tz="UTC")),
        "quantity": pa.array([1, 2, 2, 3, 1, 3], pa.int32()),
        "discount_pct": pa.array([0.0, 0.1, 0.25, 0.3, 0.05, 0.2], pa.float64()),
        "amount": pa.array([Decimal(v) for v in ("20.99", "137.99", "5.01", "33.33", "0.10", "99.95")],
                           pa.decimal128(12, 2)),
    })}


def _agrees(sql: str, engine: str, tables, compiled: str | None = None) -> tuple[str, str]:
    compiled = compiled if compiled is not None else compile_sql(sql, engine, source="bigquery").sql
    result = check_sql(sql, compiled, engine, tables, source_dialect="bigquery")
    return result.status, result.message or ""


def _without(rule, sql: str, engine: str, tables) -> str:
    return _agrees(sql, engine, tables, compile_without(rule, sql, engine, source="bigquery").sql)[0]


CASES = [
    # (rule, BigQuery SQL, engines where the answer or its type is wrong without the rule)
    (bqv.float_literals_are_double,  # DuckDB: a DECIMAL column where BigQuery has FLOAT64
     "SELECT sale_id, amount * 1.5 AS a, IF(quantity > 1, 0.5, 2) AS b FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqv.unix_epoch_truncates,  # DuckDB rounds 07.6 up to second 8
     "SELECT sale_id, UNIX_SECONDS(order_ts) AS s, UNIX_MILLIS(order_ts) AS ms FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqv.date_arithmetic_stays_date,  # DuckDB: the same days as TIMESTAMPs
     "SELECT sale_id, DATE_ADD(order_date, INTERVAL 1 MONTH) AS m, DATE_SUB(order_date, INTERVAL 30 DAY) AS d, "
     "DATE_FROM_UNIX_DATE(UNIX_DATE(order_date) + 1) AS n FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqv.avg_of_numeric_is_numeric,  # DuckDB: a DOUBLE where BigQuery has NUMERIC
     "SELECT quantity, AVG(amount) AS a FROM fact_sales GROUP BY quantity ORDER BY quantity",
     ("duckdb",)),
    (bqv.avg_of_numeric_is_numeric,  # the window form: rounded around OVER (...)
     "SELECT sale_id, AVG(amount) OVER (ORDER BY sale_id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a "
     "FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqv.unnest_offset_from_zero,  # DuckDB's ORDINALITY counts from 1
     "SELECT sale_id, part, pos FROM fact_sales, UNNEST(SPLIT(order_id, '-')) AS part WITH OFFSET AS pos "
     "WHERE pos < 2 ORDER BY sale_id, pos",
     ("duckdb",)),
    (bqv.unnest_values_typed,  # Snowflake's FLATTEN value is a VARIANT
     "SELECT part, COUNT(*) AS n FROM fact_sales, UNNEST(SPLIT(order_id, '-')) AS part GROUP BY part ORDER BY part",
     ("snowflake",)),
    (bqv.number_text_as_bigquery,  # '20.99' vs '20.990000000' / '0.0' vs '0'
     "SELECT sale_id, CAST(amount AS STRING) AS a, CAST(amount * 10 AS STRING) AS b, "
     "CAST(CAST(discount_pct AS NUMERIC) AS STRING) AS c FROM fact_sales ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (bqv.timestamp_text_as_bigquery,  # 07.600 keeps its three digits, 08:00:00 none
     "SELECT sale_id, CAST(order_ts AS STRING) AS t FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqv.epoch_numbers_are_instants,  # DuckDB EPOCH_MS / MAKE_TIMESTAMP: a TIMESTAMP without time zone
     "SELECT sale_id, TIMESTAMP_MILLIS(UNIX_MILLIS(order_ts)) AS ms, TIMESTAMP_MICROS(UNIX_MICROS(order_ts) + 1) AS us "
     "FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (iso_year_truncation,  # DuckDB: DATE_TRUNC('ISOYEAR', d) is a TIMESTAMP
     "SELECT sale_id, DATE_TRUNC(order_date, ISOYEAR) AS y, DATE_TRUNC(DATE_ADD(order_date, INTERVAL 1 DAY), ISOYEAR) "
     "AS z FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqv.unnest_values_typed,
     "SELECT t, COUNTIF(discount_pct >= t) AS n FROM fact_sales CROSS JOIN UNNEST([0.0, 0.1, 0.2]) AS t "
     "GROUP BY t ORDER BY t",
     ("snowflake",)),
]


@pytest.mark.parametrize("rule, sql, affected", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_bigquery_value_rule_gives_zetasql_answer(rule, sql, affected, tables):
    # fakesnow: FLATTEN pairs INDEX with another element, TO_TIMESTAMP_TZ is naive (fakesnow_fidelity.py)
    engines = ("duckdb",) if rule in (bqv.unnest_offset_from_zero, bqv.epoch_numbers_are_instants) else (
        "duckdb", "snowflake")
    for engine in engines:
        status, message = _agrees(sql, engine, tables)
        assert status == "pass", f"{engine}: {message}\n{compile_sql(sql, engine, source='bigquery').sql}"
    for engine in affected:
        assert _without(rule, sql, engine, tables) != "pass", f"{rule.__name__} changes nothing on {engine}"


def test_snowflake_has_no_unix_millis_function():
    # Snowflake has no UNIX_MILLIS / UNIX_MICROS (fakesnow, running DuckDB, accepts them): count boundaries instead.
    sql = "SELECT UNIX_MILLIS(order_ts) AS ms, UNIX_MICROS(order_ts) AS us FROM fact_sales"
    assert "UNIX_MILLIS(" in compile_without(bqv.unix_epoch_truncates, sql, "snowflake", source="bigquery").sql
    text = compile_sql(sql, "snowflake", source="bigquery").sql
    assert "UNIX_" not in text and "DATEDIFF(MILLISECOND, " in text and "DATEDIFF(MICROSECOND, " in text


def test_snowflake_average_of_numeric_keeps_nine_decimals():
    # Snowflake's AVG(NUMBER(12, 2)) keeps 8 decimals; fakesnow (a DOUBLE) cannot show it: pinned on the text.
    sql = "SELECT AVG(amount) AS a FROM fact_sales"
    assert compile_without(bqv.avg_of_numeric_is_numeric, sql, "snowflake", source="bigquery").sql == (
        "SELECT AVG(amount) AS a FROM fact_sales")
    assert compile_sql(sql, "snowflake", source="bigquery").sql == (
        "SELECT CAST(ROUND(AVG(CAST(amount AS DOUBLE)), 9) AS DECIMAL(38, 9)) AS a FROM fact_sales")


def test_float_literal_comparison_is_inexact_as_on_bigquery(tables):
    # 0.1 + 0.2 = 0.3 is false in FLOAT64 (BigQuery) and true in DECIMAL (DuckDB's reading of the same text).
    sql = "SELECT sale_id, 0.1 + 0.2 = 0.3 AS same FROM fact_sales ORDER BY sale_id"
    assert _agrees(sql, "duckdb", tables)[0] == "pass"
    assert _without(bqv.float_literals_are_double, sql, "duckdb", tables) == "mismatch"


def test_initcap_runs_on_duckdb_2(tables, monkeypatch):
    """sqlglot expands INITCAP for DuckDB into a LIST_TRANSFORM with an arrow lambda, which DuckDB 2.0 rejects."""
    from toolkit.sql.rules import render

    sql = "SELECT sale_id, INITCAP(LOWER(order_id)) AS c FROM fact_sales ORDER BY sale_id"
    assert _agrees(sql, "duckdb", tables)[0] == "pass"
    assert "LAMBDA seg, idx" in compile_sql(sql, "duckdb", source="bigquery").sql
    monkeypatch.setattr(render, "_lambdas_with_keyword", lambda generator: None)
    arrow = compile_sql(sql, "duckdb", source="bigquery").sql
    assert "(seg, idx) -> " in arrow
    assert _agrees(sql, "duckdb", tables, arrow)[0] == "error"


def test_float_text_is_bigquery_s_on_duckdb_and_refused_on_snowflake(tables):
    sql = ("SELECT sale_id, CAST(discount_pct AS STRING) AS d, CAST(quantity / 3 AS STRING) AS q, "
           "CAST(quantity * 1e15 AS STRING) AS e FROM fact_sales ORDER BY sale_id")
    assert _agrees(sql, "duckdb", tables)[0] == "pass"  # '0', '0.33333333333333331', '1e+15' as on BigQuery
    assert _without(bqv.number_text_as_bigquery, sql, "duckdb", tables) == "mismatch"  # '0.0', '0.3333333333333333'
    from toolkit.sql.compile import UnportableError

    with pytest.raises(UnportableError) as refused:
        compile_sql(sql, "snowflake", source="bigquery")
    assert "CAST(CAST(x AS NUMERIC) AS STRING)" in refused.value.alternative


def test_timestamp_text_on_snowflake_is_not_its_output_format():
    # Snowflake prints a TIMESTAMP_TZ cast to VARCHAR as '2024-06-06 22:16:54.870 +0000'; fakesnow (DuckDB) prints
    # BigQuery's text by chance, so the compiled text is pinned: UTC, 0/3/6 fraction digits, '+00'.
    sql = "SELECT CAST(order_ts AS STRING) AS t FROM fact_sales"
    assert compile_without(bqv.timestamp_text_as_bigquery, sql, "snowflake", source="bigquery").sql == (
        "SELECT CAST(order_ts AS VARCHAR) AS t FROM fact_sales")
    text = compile_sql(sql, "snowflake", source="bigquery").sql
    assert "CONVERT_TIMEZONE('UTC', order_ts), 'YYYY-MM-DD HH24:MI:SS.FF3')" in text and "|| '+00'" in text


def test_epoch_numbers_are_instants_on_snowflake():
    # Snowflake's TO_TIMESTAMP(n, 3) is a TIMESTAMP_NTZ; fakesnow cannot show the TZ type: pinned on the text.
    sql = "SELECT TIMESTAMP_MILLIS(sale_id) AS t, TIMESTAMP_SECONDS(sale_id) AS s FROM fact_sales"
    assert compile_without(bqv.epoch_numbers_are_instants, sql, "snowflake", source="bigquery").sql == (
        "SELECT TO_TIMESTAMP(sale_id, 3) AS t, TO_TIMESTAMP(sale_id) AS s FROM fact_sales")
    assert compile_sql(sql, "snowflake", source="bigquery").sql == (
        "SELECT TO_TIMESTAMP_TZ(sale_id, 3) AS t, TO_TIMESTAMP_TZ(sale_id, 0) AS s FROM fact_sales")


def test_iso_year_truncation_uses_parts_snowflake_lists():
    # Snowflake's DATE_TRUNC does not list ISOYEAR (fakesnow, on DuckDB, accepts it): pinned on the text.
    sql = "SELECT DATE_TRUNC(order_date, ISOYEAR) AS y FROM fact_sales"
    assert "'ISOYEAR'" in compile_without(iso_year_truncation, sql, "snowflake", source="bigquery").sql
    text = compile_sql(sql, "snowflake", source="bigquery").sql
    assert "ISOYEAR" not in text.replace("YEAROFWEEKISO", "")
    assert "DATE_FROM_PARTS(YEAROFWEEKISO(order_date), 1, 4)" in text
