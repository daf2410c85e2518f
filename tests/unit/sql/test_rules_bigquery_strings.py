"""String positions, IN UNNEST, SAFE_ arithmetic and FARM_FINGERPRINT from a BigQuery source: the compiled query gives
ZetaSQL's answer on DuckDB and fakesnow, and without its rule the answer or the text is wrong."""

from __future__ import annotations

import pyarrow as pa
import pytest
from sqltest_helpers import compile_sql, compile_without

from toolkit.sql.compile import UnportableError
from toolkit.sql.parity.runner import check_sql
from toolkit.sql.rules import bigquery_strings as bqs


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return {"fact_sales": pa.table({
        "sale_id": pa.array(range(5), pa.int64()),
        "order_id": pa.array(["ORD-000105", "A-0-0", "xyz", "", "0"], pa.string()),
        "payment_method": pa.array(["visa", None, "amex", "paypal", "visa"], pa.string()),
        "quantity": pa.array([1, 2, 3, 4, 5], pa.int32()),
    })}


def _agrees(sql: str, engine: str, tables, compiled: str | None = None) -> str:
    compiled = compiled if compiled is not None else compile_sql(sql, engine, source="bigquery").sql
    return check_sql(sql, compiled, engine, tables, source_dialect="bigquery").status


def _without(rule, sql: str, engine: str, tables) -> str:
    try:
        return _agrees(sql, engine, tables, compile_without(rule, sql, engine, source="bigquery").sql)
    except UnportableError:
        return "refused"


CASES = [
    # (rule, BigQuery SQL, engines where the answer is wrong without the rule)
    (bqs.in_unnest_literal_list,  # fakesnow compares the VARCHAR with FLATTEN's VARIANT values (and fails)
     "SELECT sale_id, payment_method IN UNNEST(['visa', 'amex']) AS card, "
     "payment_method NOT IN UNNEST(['visa']) AS other FROM fact_sales ORDER BY sale_id",
     ("snowflake",)),
    (bqs.substr_position_from_one,  # DuckDB: position 0 is before the first character
     "SELECT sale_id, SUBSTR(order_id, 0, 3) AS a, SUBSTR(order_id, quantity - 3, 2) AS b, "
     "SUBSTR(order_id, -20, 2) AS c FROM fact_sales ORDER BY sale_id",
     ("duckdb",)),
    (bqs.instr_position_and_occurrence,  # the last '0': DuckDB 0, Snowflake the first one
     "SELECT sale_id, INSTR(order_id, '0', -1) AS last_zero, INSTR(order_id, '-0', -1) AS last_pair "
     "FROM fact_sales ORDER BY sale_id",
     ("duckdb", "snowflake")),
    (bqs.safe_arithmetic_operators,  # the functions do not exist there: the query fails
     "SELECT sale_id, SAFE_MULTIPLY(quantity, 3) AS m, SAFE_ADD(quantity, 1) * 2 AS a, "
     "SAFE_SUBTRACT(quantity, 10) AS s, -SAFE_NEGATE(quantity - 1) AS n FROM fact_sales ORDER BY sale_id",
     ("duckdb", "snowflake")),
]


@pytest.mark.parametrize("rule, sql, affected", CASES, ids=[c[0].__name__ for c in CASES])
def test_bigquery_string_rule_gives_zetasql_answer(rule, sql, affected, tables):
    for engine in ("duckdb", "snowflake"):
        assert _agrees(sql, engine, tables) == "pass", compile_sql(sql, engine, source="bigquery").sql
    for engine in affected:
        assert _without(rule, sql, engine, tables) != "pass", f"{rule.__name__} changes nothing on {engine}"


def test_instr_occurrence_is_refused_with_a_relevant_alternative():
    # Without the rule sqlglot's own refusal names no INSTR alternative ("CASE, COALESCE, EXTRACT, arithmetic").
    sql = "SELECT INSTR(order_id, '0', 1, 2) AS second_zero FROM fact_sales"
    with pytest.raises(UnportableError) as generic:
        compile_without(bqs.instr_position_and_occurrence, sql, "duckdb", source="bigquery")
    assert "INSTR" not in generic.value.alternative
    for engine in ("duckdb", "snowflake"):
        with pytest.raises(UnportableError) as refused:
            compile_sql(sql, engine, source="bigquery")
        assert "INSTR(s, sub, -1)" in refused.value.alternative


def test_farm_fingerprint_is_refused_with_shared_hashes():
    sql = "SELECT MOD(ABS(FARM_FINGERPRINT(order_id)), 10) AS bucket FROM fact_sales"
    assert "FARM_FINGERPRINT(" in compile_without(bqs.bigquery_only_hash_refused, sql, "duckdb", source="bigquery").sql
    for engine in ("duckdb", "snowflake"):
        with pytest.raises(UnportableError) as refused:
            compile_sql(sql, engine, source="bigquery")
        assert "TO_HEX(MD5(" in refused.value.alternative and "MOD(key, 10)" in refused.value.alternative
    compile_sql(sql, "bigquery", source="bigquery")  # BigQuery runs it as written


def test_string_agg_limit_is_refused_not_dropped():
    sql = "SELECT STRING_AGG(order_id, ',' ORDER BY sale_id LIMIT 2) AS firsts FROM fact_sales"
    # Without the rule Snowflake joins every value: the LIMIT is gone from the text.
    wrong = compile_without(bqs.string_agg_limit, sql, "snowflake", source="bigquery").sql
    assert "LISTAGG(" in wrong and "LIMIT" not in wrong
    for engine in ("duckdb", "snowflake"):
        with pytest.raises(UnportableError) as refused:
            compile_sql(sql, engine, source="bigquery")
        assert "ROW_NUMBER() OVER" in refused.value.alternative


def test_array_to_string_of_array_agg_is_listagg_on_snowflake(tables):
    sql = ("SELECT ARRAY_TO_STRING(ARRAY_AGG(DISTINCT payment_method ORDER BY payment_method), ', ') AS methods, "
           "ARRAY_TO_STRING(ARRAY_AGG(order_id ORDER BY sale_id DESC), '|') AS ids FROM fact_sales")
    assert _agrees(sql, "snowflake", tables) == "pass"
    # Without the rule Snowflake gets ARRAY_TO_STRING over ARRAY_AGG, valid there but not runnable on fakesnow.
    assert _without(bqs.array_to_string_of_array_agg, sql, "snowflake", tables) == "error"
    assert "LISTAGG(DISTINCT payment_method, ', ') WITHIN GROUP" in compile_sql(sql, "snowflake", source="bigquery").sql


def test_any_value_having_max_is_max_by_on_snowflake(tables):
    # Snowflake's ANY_VALUE has no HAVING clause; fakesnow accepts the copied text, so it is pinned here.
    sql = ("SELECT ANY_VALUE(order_id HAVING MAX quantity) AS a, ANY_VALUE(order_id HAVING MIN quantity) AS b "
           "FROM fact_sales")
    assert "HAVING MAX" in compile_without(bqs.any_value_having_on_snowflake, sql, "snowflake", source="bigquery").sql
    assert compile_sql(sql, "snowflake", source="bigquery").sql == (
        "SELECT MAX_BY(order_id, quantity) AS a, MIN_BY(order_id, quantity) AS b FROM fact_sales")
    assert _agrees(sql, "snowflake", tables) == "pass"


def test_datetime_trunc_is_date_trunc_on_snowflake():
    from toolkit.sql.rules.bigquery_dates import datetime_trunc_on_snowflake

    sql = "SELECT DATETIME_TRUNC(DATETIME(order_ts), HOUR) AS h FROM fact_sales"
    assert "DATETIME_TRUNC(" in compile_without(datetime_trunc_on_snowflake, sql, "snowflake", source="bigquery").sql
    text = compile_sql(sql, "snowflake", source="bigquery").sql
    assert "DATETIME_TRUNC(" not in text and "DATE_TRUNC('HOUR', " in text
