"""A BigQuery-dialect source: each rule's compiled SQL gives ZetaSQL's answer (BigQuery's reference evaluator) on
DuckDB and on fakesnow, and without the rule the text or the answer is wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest
from sqltest_helpers import compile_sql, compile_without

from toolkit.sql.compile import SqlSyntaxError, UnportableError
from toolkit.sql.parity.runner import check_sql
from toolkit.sql.rules import bigquery_functions as bqf
from toolkit.sql.rules import bigquery_source as bq
from toolkit.sql.rules.aggregates import no_approximate
from toolkit.sql.rules.arithmetic import float_to_integer_rounds_half_away
from toolkit.sql.rules.bigquery_formats import bigquery_format_codes
from toolkit.sql.rules.strings import regexp_extract_null_without_match

# Edge dates: a year starting on Monday (2024: BigQuery WEEK 0, ISO week 1), one ending in ISO week 1 of the next
# year (2024-12-30), one starting in ISO week 53 of the previous (2021-01-01), Sundays and Saturdays.
_DATES = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(15)] + [
    dt.date(2024, 12, 29), dt.date(2024, 12, 30), dt.date(2021, 1, 1), dt.date(2021, 1, 3), dt.date(2023, 1, 1)]


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    n = len(_DATES)
    utc = dt.timezone.utc
    return {"fact_sales": pa.table({
        "sale_id": pa.array(range(n), pa.int64()),
        "order_id": pa.array((["A-1-x", "B-22", "", "C"] * n)[:n], pa.string()),
        "order_date": pa.array(_DATES, pa.date32()),
        # 03:00 UTC is the previous day in New York
        "order_ts": pa.array([dt.datetime(d.year, d.month, d.day, 3 + 7 * (i % 3), tzinfo=utc)
                              for i, d in enumerate(_DATES)], pa.timestamp("us", tz="UTC")),
        "quantity": pa.array([(i % 4) for i in range(n)], pa.int32()),
        "discount_pct": pa.array([0.25 * i - 2.5 for i in range(n)], pa.float64()),
        "payment_method": pa.array((["card", None, "cash"] * n)[:n], pa.string()),
        "amount": pa.array([Decimal(f"{3.17 * i + 0.01:.2f}") for i in range(n)], pa.decimal128(12, 2)),
    })}


def _agrees(sql: str, engine: str, tables, compiled: str | None = None) -> tuple[str, str]:
    compiled = compiled if compiled is not None else compile_sql(sql, engine, source="bigquery").sql
    result = check_sql(sql, compiled, engine, tables, source_dialect="bigquery")
    return result.status, result.message or ""


def _wrong(rule, sql: str, engine: str, tables) -> str:
    """What the engine gets without `rule`: 'refused', 'error' (sqlglot or the engine), or 'mismatch'."""
    try:
        text = compile_without(rule, sql, engine, source="bigquery").sql
    except UnportableError:
        return "untranslatable"
    return _agrees(sql, engine, tables, text)[0]


CASES = [
    # (rule, BigQuery SQL, engines where the rule changes the answer)
    (bq.safe_divide_grouped,
     "SELECT sale_id, 100 * SAFE_DIVIDE(quantity - 1, quantity) AS g, 60 / SAFE_DIVIDE(quantity + 1, 2) AS h "
     "FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),  # on Snowflake the DOUBLE cast of integer division already groups the dividend
    (bq.bigquery_day_of_week,
     "SELECT sale_id, EXTRACT(DAYOFWEEK FROM order_date) AS d FROM fact_sales ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (bq.bigquery_week_numbers,
     "SELECT sale_id, EXTRACT(WEEK FROM order_date) AS w, EXTRACT(WEEK(MONDAY) FROM order_date) AS wm, "
     "EXTRACT(ISOWEEK FROM order_date) AS iw FROM fact_sales ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (bq.bigquery_week_truncation,
     "SELECT sale_id, DATE_TRUNC(order_date, WEEK) AS w, DATE_TRUNC(order_date, ISOWEEK) AS iw, "
     "TIMESTAMP_TRUNC(order_ts, WEEK(MONDAY)) AS tw, LAST_DAY(order_date, WEEK) AS lw "
     "FROM fact_sales ORDER BY sale_id",
     ("snowflake",)),
    (bigquery_format_codes,
     "SELECT sale_id, FORMAT_DATE('%A %G-W%V %j %U %W %w %u %a %b %B %Y-%m-%d', order_date) AS f "
     "FROM fact_sales ORDER BY sale_id",
     ()),  # fakesnow reads TO_CHAR('%A') back with sqlglot as strftime: only the text shows it (below)
    (float_to_integer_rounds_half_away,
     "SELECT sale_id, CAST(discount_pct AS INT64) AS i FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),  # Snowflake's own cast rounds half away from zero too (fakesnow's half-even is restated)
    (bq.split_offset_as_text,
     "SELECT sale_id, SPLIT(order_id, '-')[SAFE_OFFSET(1)] AS part FROM fact_sales ORDER BY sale_id",
     ("snowflake",)),
    (bq.date_in_time_zone,
     "SELECT sale_id, DATE(order_ts, 'America/New_York') AS local_day FROM fact_sales ORDER BY sale_id",
     ("snowflake",)),
    (bq.numeric_division_scale,  # small quotients: 9 decimals are far from the double's digits, relatively
     "SELECT sale_id, SAFE_DIVIDE(amount, amount + 1000) AS r, amount / 700 AS s FROM fact_sales ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (bqf.ieee_divide,  # quantity 0: -inf, inf and NaN rows
     "SELECT sale_id, IEEE_DIVIDE(quantity - 1, quantity) AS r, IEEE_DIVIDE(0, quantity) AS z FROM fact_sales "
     "ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (bqf.format_function,
     "SELECT sale_id, FORMAT('%d', quantity) AS f, FORMAT('%s', order_id) AS g FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqf.extract_date_or_time,
     "SELECT sale_id, EXTRACT(DATE FROM order_ts) AS d FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqf.week_date_diff,
     "SELECT sale_id, DATE_DIFF(DATE '2024-01-08', order_date, WEEK) AS w, "
     "DATE_DIFF(order_date, DATE '2023-12-31', ISOWEEK) AS iw FROM fact_sales ORDER BY sale_id",
     ("snowflake",)),
    (bqf.timestamp_diff_whole_units,  # order_ts at 03:00, 10:00, 17:00: whole hours/days vs boundaries crossed
     "SELECT sale_id, TIMESTAMP_DIFF(TIMESTAMP '2024-01-09 09:30:00+00', order_ts, HOUR) AS h, "
     "TIMESTAMP_DIFF(TIMESTAMP '2024-01-09 09:30:00+00', order_ts, DAY) AS d, "
     "TIMESTAMP_DIFF(order_ts, TIMESTAMP '2024-01-05 12:00:30+00', MINUTE) AS m FROM fact_sales ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (regexp_extract_null_without_match,  # order_id 'C' and '' have no digits: NULL on BigQuery, '' on DuckDB
     "SELECT sale_id, REGEXP_EXTRACT(order_id, r'[0-9]+') AS n, REGEXP_EXTRACT(order_id, r'-([0-9]+)') AS g "
     "FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bq.numeric_keeps_nine_decimals,  # DuckDB's bare DECIMAL keeps 3 decimals, Snowflake's none
     "SELECT sale_id, CAST(discount_pct / 7 AS NUMERIC) AS n, NUMERIC '1.25' * quantity AS m FROM fact_sales "
     "ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (bq.array_agg_ignore_nulls,
     "SELECT ARRAY_LENGTH(ARRAY_AGG(payment_method IGNORE NULLS)) AS n FROM fact_sales",
     ("snowflake",)),
]


@pytest.mark.parametrize("rule, sql, affected", CASES, ids=[c[0].__name__ for c in CASES])
def test_bigquery_source_rule_gives_zetasql_answer(rule, sql, affected, tables):
    for engine in ("duckdb", "snowflake"):
        status, message = _agrees(sql, engine, tables)
        assert status == "pass", f"{engine}: {message}\n{compile_sql(sql, engine, source='bigquery').sql}"
    for engine in affected:
        assert _wrong(rule, sql, engine, tables) != "pass", f"{rule.__name__} changes nothing on {engine}"


def test_safe_divide_keeps_its_parentheses_in_text():
    sql = "SELECT 100 * SAFE_DIVIDE(quantity - 1, quantity) AS g FROM fact_sales"
    wrong = compile_without(bq.safe_divide_grouped, sql, "duckdb", source="bigquery").sql
    # the call itself is grouped by the generic rule_built_operands_parenthesised; its compound operand is not
    assert wrong == "SELECT 100 * (quantity - 1 / NULLIF(quantity, 0)) AS g FROM fact_sales"
    assert compile_sql(sql, "duckdb", source="bigquery").sql == (
        "SELECT 100 * ((quantity - 1) / NULLIF(quantity, 0)) AS g FROM fact_sales")


def test_unmappable_format_codes_are_refused_by_name():
    for code, engines in (("%e", ("duckdb", "snowflake")), ("%Q", ("duckdb", "snowflake")), ("%p", ("snowflake",))):
        sql = f"SELECT FORMAT_DATE('{code}', order_date) AS f FROM fact_sales"
        for engine in engines:
            with pytest.raises(UnportableError, match=f"format code\\(s\\) {code} "):
                compile_sql(sql, engine, source="bigquery")
    # Without the rule Snowflake gets the BigQuery codes as TO_CHAR text.
    wrong = compile_without(bigquery_format_codes, "SELECT FORMAT_DATE('%A %j', order_date) AS f FROM fact_sales",
                            "snowflake", source="bigquery").sql
    assert "'%A %j'" in wrong  # not Snowflake TO_CHAR elements: real Snowflake prints them as text
    right = compile_sql("SELECT FORMAT_DATE('%A %G-W%V %j %U %Y-%m', order_date) AS f FROM fact_sales", "snowflake",
                        source="bigquery").sql
    assert "'%" not in right and "YEAROFWEEKISO(" in right and "WEEKISO(" in right and "' yyyy-mm')" in right


def test_date_trunc_month_stays_a_date_on_duckdb():
    sql = "SELECT DATE_TRUNC(order_date, MONTH) AS m FROM fact_sales"
    assert compile_sql(sql, "duckdb", source="bigquery").sql == (
        "SELECT CAST(DATE_TRUNC('MONTH', order_date) AS DATE) AS m FROM fact_sales")
    from toolkit.sql.rules.dates import date_trunc_keeps_date

    wrong = compile_without(date_trunc_keeps_date, sql, "duckdb", source="bigquery").sql
    assert wrong == "SELECT DATE_TRUNC('MONTH', order_date) AS m FROM fact_sales"  # a TIMESTAMP in DuckDB


def test_approximate_functions_are_refused_with_the_exact_form():
    cases = {
        "APPROX_QUANTILES(amount, 2)[OFFSET(1)]": "PERCENTILE_CONT(x, 0.5) OVER (PARTITION BY",
        "APPROX_COUNT_DISTINCT(order_id)": "COUNT(DISTINCT x)",
        "APPROX_TOP_COUNT(channel, 3)": "GROUP BY",
    }
    for call, alternative in cases.items():
        for engine in ("duckdb", "snowflake"):
            with pytest.raises(UnportableError) as refused:
                compile_sql(f"SELECT {call} AS a FROM fact_sales", engine, source="bigquery")
            assert call.split("(")[0] + " is approximate" in refused.value.message
            assert alternative in refused.value.alternative
    top = "SELECT APPROX_TOP_COUNT(channel, 3) AS a FROM fact_sales"
    assert "APPROX_TOP_K(" in compile_without(no_approximate, top, "snowflake", source="bigquery").sql


def test_dataset_qualified_names_resolve_to_the_gold_table():
    for written in ("shop.fact_sales", "`my-project.shop.fact_sales`", "`my-project`.shop.fact_sales"):
        sql = f"SELECT f.channel, SUM(f.amount) AS revenue FROM {written} AS f GROUP BY f.channel"
        for engine in ("duckdb", "snowflake", "bigquery"):
            from sqltest_catalog import sample_catalog

            from toolkit.sql.compile import compile_query

            names = {"fact_sales": {"duckdb": "gold.fact_sales", "snowflake": "ANALYTICS.GOLD.FACT_SALES",
                                    "bigquery": "`p.gold.fact_sales`"}[engine]}
            text = compile_query(sql, source_dialect="bigquery", engine=engine, catalog=sample_catalog(),
                                 table_names=names, pretty=False).sql
            assert "shop" not in text and "my-project" not in text
            assert names["fact_sales"].replace("`", "") in text.replace("`", "")
    with pytest.raises(SqlSyntaxError, match=r"'shop.ordrs' is not a gold table .*known: amazon_sales_gold, "):
        compile_sql("SELECT COUNT(*) AS n FROM shop.ordrs", "duckdb", source="bigquery")


def test_refused_bigquery_functions_name_a_relevant_alternative():
    cases = {
        "SELECT ARRAY_AGG(status ORDER BY order_ts LIMIT 1)[OFFSET(0)] AS s FROM fact_sales": "ROW_NUMBER() OVER",
        "SELECT FORMAT('%.2f', discount_pct) AS f FROM fact_sales": "CAST(x AS STRING)",
    }
    for sql, alternative in cases.items():
        for engine in ("duckdb", "snowflake"):
            with pytest.raises(UnportableError) as refused:
                compile_sql(sql, engine, source="bigquery")
            assert alternative in refused.value.alternative
        compile_sql(sql, "bigquery", source="bigquery")  # BigQuery itself runs it as written


def test_avg_of_integers_is_a_float_on_snowflake():
    # Snowflake's AVG(integer) is a NUMBER with a few decimals (1.333333); fakesnow (DuckDB) cannot show it.
    sql = "SELECT AVG(quantity) AS a FROM fact_sales"
    assert compile_without(bqf.avg_of_integers_as_float, sql, "snowflake", source="bigquery").sql == (
        "SELECT AVG(quantity) AS a FROM fact_sales")
    assert compile_sql(sql, "snowflake", source="bigquery").sql == (
        "SELECT AVG(CAST(quantity AS DOUBLE)) AS a FROM fact_sales")


def test_bignumeric_is_refused_at_its_line():
    sql = "SELECT\n  CAST(discount_pct AS BIGNUMERIC) AS c\nFROM fact_sales"
    for engine in ("duckdb", "snowflake"):
        with pytest.raises(UnportableError, match=r"^line 2: BIGNUMERIC .* \(on " + engine + r"\); use instead: NUMERIC"):
            compile_sql(sql, engine, source="bigquery")
