"""DuckDB set-operation precedence and the DuckDB-only constructs refused with their portable form (issue 13 item 2,
found with tests/corpus/duckdb_hunt)."""

from __future__ import annotations

import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.duckdb_queries import (
    distinct_on_as_qualify,
    intersect_binds_tighter,
    qualify_as_subquery_on_trino,
)

CHAIN = "SELECT 1 AS x UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4 ORDER BY 1"


def test_intersect_binds_tighter_than_union_in_duckdb():
    assert duckdb_rows("SELECT 1 AS x UNION SELECT 2 INTERSECT SELECT 3") == [(1,)]  # 1 UNION (2 INTERSECT 3)
    assert duckdb_rows("(SELECT 1 AS x UNION SELECT 2) INTERSECT SELECT 3") == []


def test_set_operations_keep_the_source_precedence_with_parentheses():
    wrong = compile_without(intersect_binds_tighter, CHAIN, "bigquery").sql
    assert wrong == ("SELECT 1 AS x UNION DISTINCT SELECT 2 INTERSECT DISTINCT SELECT 3 EXCEPT DISTINCT SELECT 4 "
                     "ORDER BY 1 NULLS LAST")  # BigQuery: "Different set operations cannot be used ... parentheses"
    assert compile_sql(CHAIN, "bigquery").sql == (
        "(SELECT 1 AS x UNION DISTINCT (SELECT 2 INTERSECT DISTINCT SELECT 3)) EXCEPT DISTINCT SELECT 4 "
        "ORDER BY 1 NULLS LAST")
    snowflake = compile_sql(CHAIN, "snowflake").sql
    assert snowflake == "SELECT 1 AS x UNION (SELECT 2 INTERSECT SELECT 3) EXCEPT SELECT 4 ORDER BY 1 NULLS LAST"
    duckdb = compile_sql(CHAIN, "duckdb").sql
    assert duckdb_rows(duckdb) == duckdb_rows(CHAIN) == [(1,)]
    parenthesised = "(SELECT 1 AS x UNION SELECT 2) INTERSECT SELECT 3"  # written with parentheses: kept as written
    assert duckdb_rows(compile_sql(parenthesised, "duckdb").sql) == []


@pytest.mark.parametrize(("sql", "words"), [
    ("SELECT country, mode(gender) AS g FROM dim_customer GROUP BY country", "mode() breaks ties"),
    ("SELECT MAX(COLUMNS('^(quantity|amount)$')) FROM fact_sales", "COLUMNS(...)"),
    ("SELECT age(DATE '2025-01-01', order_date) AS a FROM fact_sales", "age() returns an INTERVAL"),
])
def test_duckdb_only_constructs_are_refused_with_their_portable_form(sql, words):
    for engine in ("bigquery", "snowflake", "athena", "redshift"):
        with pytest.raises(UnportableError) as refused:
            compile_sql(sql, engine)
        assert words in str(refused.value) and "use instead:" in str(refused.value)
    assert compile_sql(sql, "duckdb").sql  # the source engine runs it as written


def test_a_list_result_column_is_refused_on_snowflake():
    listed = "SELECT payment_type, list(payment_method ORDER BY payment_method) AS methods FROM dim_payment GROUP BY 1"
    with pytest.raises(UnportableError, match="comes back from Snowflake as JSON text"):
        compile_sql(listed, "snowflake")
    assert "ARRAY_AGG(" in compile_sql(listed, "bigquery").sql  # BigQuery returns an ARRAY of strings
    inside = "SELECT string_split(order_id, '-')[1] AS head FROM fact_sales"  # a list used inside the query
    assert compile_sql(inside, "snowflake").sql == (
        "SELECT CAST(SPLIT(order_id, '-')[0] AS VARCHAR) AS head FROM fact_sales")


def test_distinct_on_keeps_the_order_by():
    source = ("SELECT DISTINCT ON (channel) channel, sale_id AS s FROM fact_sales ORDER BY channel, s DESC LIMIT 3")
    wrong = compile_without(distinct_on_as_qualify, source, "snowflake").sql
    assert wrong.endswith("WHERE _row_number = 1")  # the ORDER BY and the LIMIT are gone
    assert compile_sql(source, "snowflake").sql == (
        "SELECT channel, sale_id AS s FROM fact_sales QUALIFY ROW_NUMBER() OVER (PARTITION BY channel ORDER BY "
        "channel NULLS LAST, sale_id DESC NULLS LAST) = 1 ORDER BY channel NULLS LAST, s DESC NULLS LAST LIMIT 3")
    assert "QUALIFY ROW_NUMBER() OVER (PARTITION BY channel" in compile_sql(source, "bigquery").sql
    rows = "(VALUES ('web', 1), ('web', 5), ('app', 2), (NULL, 7), ('app', 9)) AS fact_sales(channel, sale_id)"
    assert duckdb_rows(source.replace("FROM fact_sales", f"FROM {rows}")) == [("app", 9), ("web", 5), (None, 7)]


def test_qualify_on_athena_filters_before_ordering_and_limiting():
    source = ("SELECT DISTINCT ON (channel) channel, sale_id AS s FROM fact_sales "
              "ORDER BY channel, s DESC, order_date LIMIT 3")
    wrong = compile_without(qualify_as_subquery_on_trino, source, "athena").sql
    assert "ORDER BY channel NULLS LAST, s DESC NULLS LAST LIMIT 3) AS _t WHERE _w = 1" in wrong.replace(
        ", order_date NULLS LAST", "")  # LIMIT inside the subquery, before the filter
    right = compile_sql(source, "athena").sql
    assert right.endswith("FROM fact_sales) AS _fedkit_t WHERE _fedkit_q0 = 1 "
                          "ORDER BY channel NULLS LAST, s DESC NULLS LAST, _fedkit_o1 NULLS LAST LIMIT 3")
    assert right.startswith("SELECT channel, s FROM (SELECT channel, sale_id AS s, ROW_NUMBER() OVER (")
    assert "order_date AS _fedkit_o1" in right  # an ORDER BY key that is no output travels hidden
    # the rewrite, run on DuckDB, answers as the source does
    rows = ("(VALUES ('web', 1, 3), ('web', 5, 1), ('app', 2, 2), (NULL, 7, 1), ('app', 9, 4)) "
            "AS t(channel, sale_id, order_date)")
    assert duckdb_rows(right.replace("FROM fact_sales", f"FROM {rows}")) == duckdb_rows(
        source.replace("FROM fact_sales", f"FROM {rows}")) == [("app", 9), ("web", 5), (None, 7)]
    with pytest.raises(UnportableError, match="SELECT \\*"):
        compile_sql("SELECT * FROM fact_sales QUALIFY row_number() OVER (ORDER BY sale_id) = 1", "athena")
