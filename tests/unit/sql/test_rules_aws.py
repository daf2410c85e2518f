"""Athena (Trino) and Redshift as compile targets: each rule shows the wrong text, or the wrong answer on the local
stand-in (DuckDB with the engine's documented behaviour restated), without it.

Unverified against the real engines (no cloud here): the texts are pinned as contracts from the cited docs pages.
"""

from __future__ import annotations

import datetime

import pyarrow as pa
import pytest
from sqltest_helpers import compile_sql, compile_without, duckdb_rows

from toolkit.sql.compile import UnportableError
from toolkit.sql.parity.aws_standin import AthenaStandIn, RedshiftStandIn
from toolkit.sql.rules.arithmetic import avg_as_double, float_division
from toolkit.sql.rules.aws import (
    athena_exact_quantiles,
    redshift_date_parts,
    redshift_date_trunc_is_timestamp,
    trino_split_part_past_the_end,
)
from toolkit.sql.rules.dates import day_of_week_numbering

_DAYS = [datetime.date(2024, 12, 29) + datetime.timedelta(days=i) for i in range(9)]  # Sunday .. Monday, ISO week 1


@pytest.fixture
def tables() -> dict[str, pa.Table]:
    return {"fact_sales": pa.table({
        "sale_id": pa.array([2, 2, 3, 4, 5, 6, 7, 8, 9], pa.int64()),
        "quantity": pa.array([7, 1, 2, 2, 3, 3, 3, 3, 3], pa.int32()),
        "order_id": pa.array(["a-b", "c", None, "d-e-f", "g", "h", "i", "j", "k"]),
        "order_date": pa.array(_DAYS, pa.date32()),
        "payment_method": pa.array(["card", None, "cash", None, "card", "cash", "card", "x", "y"]),
    })}


def _standin(engine: str):
    return AthenaStandIn() if engine == "athena" else RedshiftStandIn()


def _rows(engine: str, sql: str, tables) -> list[tuple]:
    result = _standin(engine).run(sql, tables)
    return [tuple(row.values()) for row in result.to_pylist()]


def _duckdb(sql: str, tables) -> list[tuple]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, table in tables.items():
        con.register(name, table)
    return con.execute(sql).fetchall()


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_integer_division_is_not_truncated(engine, tables):
    # Trino and Redshift truncate INT / INT; the stand-in restates that (`//`), and the compiled text divides in DOUBLE.
    sql = "SELECT quantity / NULLIF(sale_id, 0) AS r FROM fact_sales ORDER BY sale_id"
    assert _rows(engine, sql, tables)[0] == (3,)  # the source text as the engine reads it: 7 / 2 = 3
    right = compile_sql(sql, engine).sql
    assert "CAST(quantity AS DOUBLE" in right
    assert _rows(engine, right, tables) == _duckdb(sql, tables)
    assert _rows(engine, right, tables)[0] == (3.5,)


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_decimal_division_is_double_not_the_engines_decimal_scale(engine):
    # DuckDB DECIMAL / BIGINT is a DOUBLE; Trino keeps DECIMAL with scale max(s1, s2) (trino.io/docs/current/language/
    # types.html#decimal), Redshift a NUMERIC with its own scale rule (docs.aws.amazon.com/redshift/latest/dg/
    # r_numeric_computations201.html): 10.00 / 3 is 3.33 on Trino, not 3.3333333333333335. Text contract only: the
    # stand-in does not model decimal scales (unverified on the real engines).
    sql = "SELECT SUM(amount) / COUNT(*) AS a FROM fact_sales"
    wrong = compile_without(float_division, sql, engine).sql
    assert "SUM(amount) / COUNT(*)" in wrong and "CAST(SUM(amount)" not in wrong
    right = compile_sql(sql, engine).sql
    assert "CAST(SUM(amount) AS DOUBLE" in right


def test_redshift_avg_of_integers_is_an_integer_without_the_rule(tables):
    sql = "SELECT AVG(quantity) AS a FROM fact_sales"
    wrong = compile_without(avg_as_double, sql, "redshift").sql
    assert wrong == "SELECT AVG(quantity) AS a FROM fact_sales"
    assert _rows("redshift", wrong, tables) == [(3,)]  # 27 / 9 = 3 exactly; see the truncating case below
    assert _rows("redshift", "SELECT AVG(quantity) AS a FROM fact_sales WHERE sale_id <= 3", tables) == [(3,)]
    right = compile_sql("SELECT AVG(quantity) AS a FROM fact_sales WHERE sale_id <= 3", "redshift").sql
    assert right == "SELECT AVG(CAST(quantity AS DOUBLE PRECISION)) AS a FROM fact_sales WHERE sale_id <= 3"
    assert _rows("redshift", right, tables) == [(pytest.approx(10 / 3),)]


@pytest.mark.parametrize("aggregate", ["median(quantity)", "quantile_cont(quantity, 0.9)",
                                       "quantile_cont(quantity, 0)", "quantile_cont(quantity, 1)"])
def test_median_and_quantiles_on_athena_are_exact_not_approximated(aggregate, tables):
    sql = f"SELECT payment_method, {aggregate} AS m FROM fact_sales GROUP BY payment_method ORDER BY payment_method"
    wrong = compile_without(athena_exact_quantiles, sql, "athena").sql
    assert "PERCENTILE_CONT(quantity" in wrong  # Trino has no PERCENTILE_CONT: the query fails on Athena
    right = compile_sql(sql, "athena").sql
    assert "PERCENTILE" not in right and "approx" not in right.lower()
    expected = _duckdb(sql, tables)
    assert any(row[0] == "card" and row[1] is not None for row in expected)  # three values, odd and even groups
    got = _rows("athena", right, tables)
    assert [r[0] for r in got] == [r[0] for r in expected]
    assert [r[1] for r in got] == [pytest.approx(r[1]) if r[1] is not None else None for r in expected]


def test_median_over_no_value_is_null_on_athena(tables):
    sql = "SELECT median(quantity) AS m FROM fact_sales WHERE sale_id < 0"
    assert _rows("athena", compile_sql(sql, "athena").sql, tables) == [(None,)] == _duckdb(sql, tables)


@pytest.mark.parametrize("p", ["0", "0.28", "0.5", "0.9", "1"])
def test_discrete_quantiles_on_athena_match_duckdb(p):
    import pyarrow as pa

    from toolkit.sql.rules.aws import athena_exact_quantiles

    data = {"fact_sales": pa.table({"quantity": pa.array(list(range(25, 0, -1)) + [None], pa.int32()),
                                    "channel": pa.array(["web"] * 13 + ["store"] * 13)})}
    sql = f"SELECT channel, quantile_disc(quantity, {p}) AS q FROM fact_sales GROUP BY channel ORDER BY channel"
    assert "PERCENTILE_DISC" in compile_without(athena_exact_quantiles, sql, "athena").sql  # not in Trino
    right = compile_sql(sql, "athena").sql
    assert "PERCENTILE" not in right and "DECIMAL(38, 18)" in right
    assert _rows("athena", right, data) == _duckdb(sql, data)
    whole = f"SELECT quantile_disc(quantity, {p}) AS q FROM fact_sales"  # 25 values: 25 * 0.28 is exactly 7
    assert _rows("athena", compile_sql(whole, "athena").sql, data) == _duckdb(whole, data)


def test_non_literal_fractions_are_refused_on_athena_and_redshift_is_native():
    with pytest.raises(UnportableError, match="approx_percentile"):
        compile_sql("SELECT quantile_cont(quantity, sale_id / 100) AS q FROM fact_sales", "athena")
    # Redshift has an exact MEDIAN and PERCENTILE_CONT ... WITHIN GROUP (docs.aws.amazon.com/redshift/latest/dg/
    # r_MEDIAN.html, r_PERCENTILE_CONT.html): compiled natively.
    sql = "SELECT median(amount) AS m FROM fact_sales"
    assert compile_sql(sql, "redshift").sql == "SELECT MEDIAN(amount) AS m FROM fact_sales"
    assert compile_sql("SELECT quantile_cont(amount, 0.9) AS p FROM fact_sales", "redshift").sql == (
        "SELECT PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY amount) AS p FROM fact_sales")


def test_split_part_past_the_end_is_empty_on_athena_as_in_duckdb(tables):
    sql = "SELECT sale_id, split_part(order_id, '-', 2) AS p FROM fact_sales ORDER BY sale_id"
    expected = _duckdb(sql, tables)
    assert (2, "") in expected and (3, None) in expected  # '' past the end, NULL for a NULL string
    wrong = compile_without(trino_split_part_past_the_end, sql, "athena").sql
    assert "COALESCE" not in wrong
    assert (2, None) in _rows("athena", wrong, tables)  # Trino: NULL past the last piece
    right = compile_sql(sql, "athena").sql
    assert "COALESCE(SPLIT_PART(order_id, '-', 2), '')" in right
    assert _rows("athena", right, tables) == expected
    # Redshift's SPLIT_PART already gives '' (docs.aws.amazon.com/redshift/latest/dg/SPLIT_PART.html)
    assert "COALESCE" not in compile_sql(sql, "redshift").sql


def test_weekday_numbers_on_athena_follow_duckdb(tables):
    sql = "SELECT order_date, EXTRACT(DOW FROM order_date) AS d FROM fact_sales ORDER BY order_date"
    expected = _duckdb(sql, tables)
    assert expected[0][1] == 0  # 2024-12-29 is a Sunday
    wrong = compile_without(day_of_week_numbering, sql, "athena").sql
    assert _rows("athena", wrong, tables)[0][1] == 7  # Trino's DOW is ISO: Sunday = 7
    right = compile_sql(sql, "athena").sql
    assert "DAY_OF_WEEK(order_date) % 7" in right
    assert _rows("athena", right, tables) == expected


def test_redshift_weekday_and_week_use_date_part_as_integers(tables):
    sql = ("SELECT order_date, dayofweek(order_date) AS d, isodow(order_date) AS i, week(order_date) AS w "
           "FROM fact_sales ORDER BY order_date")
    wrong = compile_without(redshift_date_parts, sql, "redshift").sql
    assert "DAY_OF_WEEK(order_date)" in wrong and "DAYOFWEEK_ISO(order_date)" in wrong  # not Redshift functions
    right = compile_sql(sql, "redshift").sql
    assert right == (
        "SELECT order_date, CAST(DATE_PART(dow, order_date) AS INTEGER) AS d, "
        "((CAST(DATE_PART(dow, order_date) AS INTEGER) + 6) % 7 + 1) AS i, "
        "CAST(DATE_PART(week, order_date) AS INTEGER) AS w FROM fact_sales ORDER BY order_date NULLS LAST")
    expected = _duckdb(sql, tables)
    assert [row[3] for row in expected] == [52] + [1] * 7 + [2]  # ISO weeks around the 2025 new year
    assert _rows("redshift", right, tables) == expected


def test_redshift_date_trunc_of_a_date_is_cast_back_to_date(tables):
    sql = "SELECT date_trunc('month', order_date) AS m FROM fact_sales ORDER BY 1 LIMIT 1"
    wrong = compile_without(redshift_date_trunc_is_timestamp, sql, "redshift").sql
    assert _rows("redshift", wrong, tables) == [(datetime.datetime(2024, 12, 1),)]  # Redshift: a TIMESTAMP
    right = compile_sql(sql, "redshift").sql
    assert "CAST(DATE_TRUNC('MONTH', order_date) AS DATE)" in right
    assert _rows("redshift", right, tables) == [(datetime.date(2024, 12, 1),)]
    assert _rows("athena", compile_sql(sql, "athena").sql, tables) == [(datetime.date(2024, 12, 1),)]


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_null_ordering_is_explicit_as_duckdb_sorts(engine, tables):
    sql = "SELECT payment_method FROM fact_sales ORDER BY payment_method DESC"
    right = compile_sql(sql, engine).sql
    assert right.endswith("ORDER BY payment_method DESC NULLS LAST")  # Redshift's default DESC is NULLS FIRST
    assert _rows(engine, right, tables) == _duckdb(sql, tables)
    assert duckdb_rows("SELECT 1")[0][0] == 1


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_approximate_functions_are_refused(engine):
    with pytest.raises(UnportableError, match="approximate"):
        compile_sql("SELECT approx_count_distinct(customer_id) FROM fact_sales", engine)


def test_greatest_skips_nulls_on_athena_only():
    sql = "SELECT greatest(quantity, sale_id) AS g FROM fact_sales"
    # Trino's GREATEST is NULL when an argument is NULL (trino.io/docs/current/functions/comparison.html)
    assert "COALESCE(quantity, sale_id)" in compile_sql(sql, "athena").sql
    # Redshift's GREATEST ignores NULLs like DuckDB's (docs.aws.amazon.com/redshift/latest/dg/r_GREATEST_LEAST.html)
    assert compile_sql(sql, "redshift").sql == "SELECT GREATEST(quantity, sale_id) AS g FROM fact_sales"


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_integer_floor_division_stays_exact_above_two_to_the_53(engine):
    from toolkit.sql.rules.aws import native_integer_division

    big = {"fact_sales": pa.table({"sale_id": pa.array([2**53 + 1, -7], pa.int64()),
                                   "customer_id": pa.array([1, 2], pa.int64())})}
    sql = "SELECT sale_id // customer_id AS q FROM fact_sales ORDER BY sale_id"
    expected = _duckdb(sql, big)
    assert expected == [(-4 + 1,), (2**53 + 1,)]  # -7 // 2 = -3: toward zero
    wrong = compile_without(native_integer_division, sql, engine).sql
    assert "DOUBLE" in wrong
    assert _rows(engine, wrong, big)[1] != (2**53 + 1,)  # through a DOUBLE: 2^53 + 1 is not representable
    right = compile_sql(sql, engine).sql
    assert right.startswith("SELECT sale_id / customer_id AS q")
    assert _rows(engine, right, big) == expected


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_string_agg_becomes_listagg_within_group(engine, tables):
    from toolkit.sql.rules.aws import listagg_within_group

    sql = ("SELECT quantity, string_agg(payment_method, '|' ORDER BY payment_method DESC) AS s FROM fact_sales "
           "GROUP BY quantity ORDER BY quantity")
    wrong = compile_without(listagg_within_group, sql, engine).sql
    # Redshift cannot parse the ORDER BY inside the call; Trino needs WITHIN GROUP when the source has no ORDER BY
    assert ("LISTAGG(payment_method ORDER BY" in wrong) if engine == "redshift" else ("WITHIN GROUP" in wrong)
    unordered = compile_without(listagg_within_group, "SELECT string_agg(status, ',') AS s FROM fact_sales", engine)
    assert "WITHIN GROUP" not in unordered.sql
    right = compile_sql(sql, engine).sql
    assert "LISTAGG(payment_method, '|') WITHIN GROUP (ORDER BY payment_method DESC" in right
    assert _rows(engine, right, tables) == _duckdb(sql, tables)
    assert "WITHIN GROUP (ORDER BY status ASC)" in compile_sql("SELECT string_agg(status, ',') AS s FROM fact_sales",
                                                               engine).sql


def test_redshift_concat_skips_nulls_as_duckdb(tables):
    from toolkit.sql.rules.aws import redshift_concat_skips_nulls

    sql = "SELECT sale_id, concat(order_id, '/', payment_method) AS c FROM fact_sales ORDER BY sale_id"
    expected = _duckdb(sql, tables)
    assert (3, "/cash") in expected and (2, "c/") in expected  # NULL arguments are skipped
    wrong = compile_without(redshift_concat_skips_nulls, sql, "redshift").sql
    assert "order_id || '/' || payment_method" in wrong
    assert any(row[1] is None for row in _rows("redshift", wrong, tables))  # `||` is NULL on a NULL side
    right = compile_sql(sql, "redshift").sql
    assert "COALESCE(CAST(payment_method AS VARCHAR), '')" in right
    assert _rows("redshift", right, tables) == expected


def test_group_by_a_select_alias_becomes_its_position_on_athena(tables):
    from toolkit.sql.rules.aws import trino_group_by_alias

    sql = ("SELECT date_trunc('month', order_date) AS month, SUM(quantity) AS q FROM fact_sales GROUP BY month "
           "ORDER BY month")
    wrong = compile_without(trino_group_by_alias, sql, "athena").sql
    assert "GROUP BY month" in wrong  # Trino: Column 'month' cannot be resolved (text contract)
    right = compile_sql(sql, "athena").sql
    assert "GROUP BY 1" in right and "ORDER BY month" in right
    got = [(month, int(q)) for month, q in _rows("athena", right, tables)]
    assert got == [(month.date(), int(q)) for month, q in _duckdb(sql, tables)]  # DuckDB's month is a TIMESTAMP
    # an input column of the same name stays the column (DuckDB's reading), qualified by column_over_alias
    shadowed = compile_sql("SELECT quantity % 2 AS quantity, COUNT(*) AS n FROM fact_sales GROUP BY quantity",
                           "athena").sql
    assert "GROUP BY fact_sales.quantity" in shadowed
    # Redshift accepts aliases in GROUP BY (docs.aws.amazon.com/redshift/latest/dg/r_GROUP_BY_clause.html)
    assert "GROUP BY month" in compile_sql(sql, "redshift").sql


def test_redshift_standin_reads_varchar_max_casts(tables):
    # sqlglot prints CAST(NULL AS VARCHAR) for Redshift as VARCHAR(MAX) and reads it back as DuckDB TEXT(MAX)
    sql = "SELECT MIN(greatest(payment_method, CAST(NULL AS VARCHAR))) AS g FROM fact_sales"
    compiled = compile_sql(sql, "redshift").sql
    assert "VARCHAR(MAX)" in compiled
    assert _rows("redshift", compiled, tables) == _duckdb(sql, tables)


def test_distinct_string_agg_on_redshift_and_refused_on_athena(tables):
    sql = ("SELECT quantity, string_agg(DISTINCT payment_method, ',') AS s FROM fact_sales GROUP BY quantity "
           "ORDER BY quantity")
    right = compile_sql(sql, "redshift").sql
    assert "LISTAGG(DISTINCT payment_method, ',') WITHIN GROUP (ORDER BY payment_method ASC)" in right
    ordered = sql.replace("DISTINCT payment_method, ','", "DISTINCT payment_method, ',' ORDER BY payment_method")
    assert _rows("redshift", right, tables) == _duckdb(ordered, tables)
    with pytest.raises(UnportableError, match="DISTINCT"):
        compile_sql(sql, "athena")


def test_median_of_decimals_on_athena_keeps_duckdbs_truncated_decimal():
    from decimal import Decimal

    data = {"fact_sales": pa.table({"amount": pa.array([Decimal("37.09"), Decimal("37.10"), Decimal("0.10"),
                                                        Decimal("0.20")], pa.decimal128(12, 2)),
                                    "channel": pa.array(["web", "web", "store", "store"])})}
    sql = ("SELECT channel, median(amount) AS m, quantile_cont(amount, 0.25) AS q FROM fact_sales GROUP BY channel "
           "ORDER BY channel")
    expected = _duckdb(sql, data)
    assert expected == [("store", Decimal("0.15"), Decimal("0.12")), ("web", Decimal("37.09"), Decimal("37.09"))]
    right = compile_sql(sql, "athena").sql
    assert "AS DECIMAL(38, 2))" in right and "TRUNCATE(" in right
    assert _rows("athena", right, data) == expected
