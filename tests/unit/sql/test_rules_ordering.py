"""NULL ordering, window frames and QUALIFY: each rule shows what the target gets without it."""

from __future__ import annotations

import duckdb
import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules.ordering import (
    expand_group_and_order_all,
    explicit_null_ordering,
    explicit_window_frame,
    qualify_needs_where,
)

CUMULATIVE = "SELECT order_date, SUM(amount) OVER (ORDER BY order_date) AS running FROM fact_sales"


def test_query_order_by_states_source_null_ordering_on_every_engine():
    sql = "SELECT gender FROM dim_customer ORDER BY gender, birth_year DESC"
    for engine in ("bigquery", "snowflake", "duckdb"):
        text = compile_sql(sql, engine).sql
        # DuckDB source: ASC and DESC both put NULLs last.
        assert "ORDER BY gender NULLS LAST, birth_year DESC NULLS LAST" in text, (engine, text)


def test_bigquery_source_keeps_bigquery_null_ordering():
    text = compile_sql("SELECT gender FROM dim_customer ORDER BY gender", "snowflake", source="bigquery").sql
    assert "ORDER BY gender NULLS FIRST" in text  # BigQuery ASC = NULLS FIRST, Snowflake ASC would put them last


def test_window_order_by_keeps_nulls_last_on_bigquery():
    # sqlglot alone drops the clause in BigQuery windows (only a logged warning): BigQuery then sorts NULL dates
    # FIRST and every running total changes. Without the rule our compiler can only refuse it.
    import pytest
    import sqlglot

    plain = sqlglot.transpile(CUMULATIVE, read="duckdb", write="bigquery")[0]
    assert "OVER (ORDER BY order_date)" in plain
    with pytest.raises(UnportableError, match="NULLS LAST"):
        compile_without(explicit_null_ordering, CUMULATIVE, "bigquery")
    right = compile_sql(CUMULATIVE, "bigquery").sql
    assert "OVER (ORDER BY order_date NULLS LAST)" in right


def test_null_first_default_changes_a_running_total():
    # The semantic difference the rule guards, shown on one engine: NULLS FIRST vs LAST give different sums.
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (DATE '2024-01-01', 1), (NULL, 10), (DATE '2024-01-02', 100)) v(d, x)")
    last = con.execute("SELECT d, SUM(x) OVER (ORDER BY d NULLS LAST) FROM t ORDER BY d NULLS LAST").fetchall()
    first = con.execute("SELECT d, SUM(x) OVER (ORDER BY d NULLS FIRST) FROM t ORDER BY d NULLS LAST").fetchall()
    assert last != first
    assert last[0][1] == 1 and first[0][1] == 11


def test_last_value_gets_explicit_frame_for_snowflake():
    sql = "SELECT LAST_VALUE(amount) OVER (PARTITION BY customer_id ORDER BY order_date) AS v FROM fact_sales"
    wrong = compile_without(explicit_window_frame, sql, "snowflake").sql
    assert "RANGE" not in wrong.upper()  # Snowflake's default frame is then the whole partition
    right = compile_sql(sql, "snowflake").sql
    assert "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW" in right.upper()


def test_last_value_default_frame_matters():
    con = duckdb.connect()
    rows = "(VALUES (1, 10), (2, 20), (3, 30)) v(k, x)"
    cumulative = con.execute(f"SELECT LAST_VALUE(x) OVER (ORDER BY k) FROM {rows} ORDER BY k").fetchall()
    whole = con.execute(
        f"SELECT LAST_VALUE(x) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM {rows} ORDER BY k"
    ).fetchall()
    assert cumulative == [(10,), (20,), (30,)] and whole == [(30,), (30,), (30,)]


def test_qualify_without_where_gets_where_true_on_bigquery():
    sql = "SELECT product_id FROM dim_product QUALIFY ROW_NUMBER() OVER (PARTITION BY category ORDER BY product_id) = 1"
    wrong = compile_without(qualify_needs_where, sql, "bigquery").sql
    assert "WHERE" not in wrong  # BigQuery: "QUALIFY clause must be used in conjunction with WHERE or GROUP BY or HAVING"
    assert "WHERE TRUE QUALIFY" in compile_sql(sql, "bigquery").sql
    assert "WHERE" not in compile_sql(sql, "snowflake").sql


def test_group_by_all_and_order_by_all_are_spelled_out_as_positions():
    sql = "SELECT channel, status, COUNT(*) AS n FROM fact_sales GROUP BY ALL ORDER BY ALL"
    wrong = compile_without(expand_group_and_order_all, sql, "bigquery").sql
    assert "GROUP BY ALL" in wrong  # ZetaSQL: Unexpected keyword ALL
    text = compile_sql(sql, "bigquery").sql
    assert "GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3 NULLS LAST" in text
    assert "GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3 NULLS LAST" in compile_sql(sql, "snowflake").sql
    only_aggregates = compile_sql("SELECT COUNT(*) AS n FROM fact_sales GROUP BY ALL", "bigquery").sql
    assert "GROUP BY" not in only_aggregates  # one row, as in DuckDB
    assert duckdb_rows("SELECT x, COUNT(*) FROM (VALUES (2), (1), (1)) t(x) GROUP BY ALL ORDER BY ALL") == [(1, 2), (2, 1)]
    with pytest.raises(UnportableError, match="SELECT \\*"):
        compile_sql("SELECT * FROM fact_sales GROUP BY ALL", "bigquery")


def test_group_by_all_leaves_out_items_that_read_no_column():
    # DuckDB: a constant is no grouping key of GROUP BY ALL, so an empty input still gives the one global row
    # (found by the differential fuzzer; GROUP BY 1 gives no row at all).
    empty = "FROM (VALUES (1)) t(x) WHERE FALSE"
    assert duckdb_rows(f"SELECT 100.00 AS c, COUNT(*) {empty} GROUP BY ALL") == [(100.00, 0)]
    assert duckdb_rows(f"SELECT 100.00 AS c, COUNT(*) {empty} GROUP BY 1") == []
    sql = "SELECT CAST('100.00' AS DECIMAL(12, 2)) AS c0, channel, COUNT(*) AS n FROM fact_sales GROUP BY ALL"
    assert compile_sql(sql, "bigquery").sql.endswith("FROM fact_sales GROUP BY 2")
    constant_only = "SELECT CAST('100.00' AS DECIMAL(12, 2)) AS c0, COUNT(*) AS n FROM fact_sales GROUP BY ALL"
    assert "GROUP BY" not in compile_sql(constant_only, "bigquery").sql
    assert compile_sql(constant_only, "duckdb").sql.endswith("GROUP BY ALL")  # DuckDB keeps its own meaning
