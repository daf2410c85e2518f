"""Snowflake functions BigQuery lacks or reads differently (found by tests/corpus/snowflake_hunt): each compiled
query gives, on ZetaSQL's evaluator (BigQuery semantics) and DuckDB, the value Snowflake's documentation states;
without its rule the target answers something else or rejects the text."""

from __future__ import annotations

import datetime as dt

import pytest
from sqltest_helpers import compile_sql, rows_on, rows_without

from toolkit.sql.compile import UnportableError
from toolkit.sql.rules import snowflake_aggregates as sfa
from toolkit.sql.rules import snowflake_dates as sfd
from toolkit.sql.rules import snowflake_functions as sff

ENGINES = ("duckdb", "bigquery")


def _rows(sql: str, engine: str) -> list[tuple]:
    return rows_on(engine, compile_sql(sql, engine, source="snowflake").sql)


@pytest.mark.parametrize("engine", ENGINES)
def test_regexp_like_and_rlike_match_the_whole_string(engine):
    # Snowflake: the pattern is anchored at both ends; 'i' ignores case.
    sql = ("SELECT REGEXP_LIKE('Nexon Phones P108', 'P[0-9]{3}') AS part, "
           "REGEXP_LIKE('Nexon Phones P108', '.* P[0-9]{3}') AS whole, "
           "'Nexon Phones P108' RLIKE 'nexon.*' AS case_sensitive, "
           "REGEXP_LIKE('Nexon Phones P108', 'nexon.*', 'i') AS ignoring_case, "
           "REGEXP_LIKE('ab', 'a|ab') AS alternation")
    assert _rows(sql, engine) == [(False, True, False, True, True)]
    if engine == "bigquery":  # REGEXP_CONTAINS finds 'P108' inside the string
        partial = "SELECT REGEXP_LIKE('Nexon Phones P108', 'P[0-9]{3}') AS part"
        assert rows_without(sff.regexp_like_whole_string, partial, engine, "snowflake") == [(True,)]


def test_regexp_like_with_an_unknown_parameter_is_refused_on_bigquery():
    with pytest.raises(UnportableError, match="REGEXP_LIKE with parameters"):
        compile_sql("SELECT REGEXP_LIKE('a', 'a', 'x') AS r", "bigquery", source="snowflake")


@pytest.mark.parametrize("engine", ENGINES)
def test_equal_null_is_a_null_safe_equality(engine):
    sql = ("SELECT EQUAL_NULL(NULL, NULL) AS both_null, EQUAL_NULL(1, NULL) AS one_null, "
           "EQUAL_NULL('a', 'a') AS same")
    assert _rows(sql, engine) == [(True, False, True)]
    if engine == "bigquery":
        assert rows_without(sff.equal_null_is_not_distinct, sql, engine, "snowflake").startswith("error: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_add_months_keeps_month_ends(engine):
    # Snowflake: the last day of a month maps to the last day of the resulting month; other days keep their number.
    sql = ("SELECT ADD_MONTHS(DATE '2024-02-29', 1) AS leap_end, ADD_MONTHS(DATE '2024-01-31', 1) AS jan_end, "
           "ADD_MONTHS(DATE '2024-04-30', -2) AS back, ADD_MONTHS(DATE '2024-01-15', 1) AS mid")
    assert _rows(sql, engine) == [(dt.date(2024, 3, 31), dt.date(2024, 2, 29), dt.date(2024, 2, 29),
                                   dt.date(2024, 2, 15))]
    if engine == "bigquery":
        assert rows_without(sfd.add_months_keeps_month_end, sql, engine, "snowflake").startswith("error: ")


def test_add_months_of_a_timestamp_is_refused_on_bigquery():
    with pytest.raises(UnportableError, match="ADD_MONTHS\\(CAST\\(x AS DATE\\), n\\)"):
        compile_sql("SELECT ADD_MONTHS(order_ts, 1) AS r FROM fact_sales", "bigquery", source="snowflake")


@pytest.mark.parametrize("engine", ENGINES)
def test_grouping_of_several_columns_is_a_bit_vector(engine):
    sql = ("SELECT a, b, GROUPING(a, b) AS level, COUNT(*) AS n "
           "FROM (SELECT 'x' AS a, 'y' AS b UNION ALL SELECT 'x', 'z') AS t "
           "GROUP BY ROLLUP (a, b) ORDER BY level, b")
    assert [row[2] for row in _rows(sql, engine)] == [0, 0, 1, 3]
    if engine == "bigquery":
        assert rows_without(sfa.grouping_bit_vector, sql, engine, "snowflake").startswith("error: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_array_agg_skips_nulls_and_gives_an_empty_array_over_nothing(engine):
    sql = ("SELECT g, ARRAY_SIZE(ARRAY_AGG(DISTINCT x)) AS d, ARRAY_SIZE(ARRAY_AGG(x)) AS n, "
           "ARRAY_TO_STRING(ARRAY_AGG(x) WITHIN GROUP (ORDER BY x DESC), ',') AS ordered "
           "FROM (SELECT 1 AS g, 'a' AS x UNION ALL SELECT 1, 'b' UNION ALL SELECT 1, 'a' UNION ALL SELECT 1, NULL "
           "UNION ALL SELECT 2, NULL) AS t GROUP BY g ORDER BY g")
    assert _rows(sql, engine) == [(1, 2, 3, "b,a,a"), (2, 0, 0, "")]
    wrong = rows_without(sfa.array_agg_skips_nulls, sql, engine, "snowflake")
    if engine == "bigquery":  # sqlglot's ARRAY_AGG(...) FILTER (WHERE ...) does not parse on BigQuery
        assert wrong.startswith("error: ")
    else:  # DuckDB's ARRAY_AGG over only NULLs is NULL: ARRAY_SIZE NULL, not 0
        assert wrong[1] == (2, None, None, None)


def test_duckdb_lambdas_use_the_keyword_syntax_duckdb_2_accepts():
    # Snowflake INITCAP capitalises after whitespace and punctuation; sqlglot expands it (and ARRAY_TO_STRING) into
    # DuckDB lambdas, whose arrow form DuckDB 2 rejects.
    import duckdb
    import sqlglot

    sql = "SELECT INITCAP('hello wORLD-x') AS a, ARRAY_TO_STRING(ARRAY_CONSTRUCT('a', 'b'), ',') AS b"
    compiled = compile_sql(sql, "duckdb", source="snowflake").sql
    assert "->" not in compiled
    assert rows_on("duckdb", compiled) == [("Hello World-X", "a,b")]
    arrow = sqlglot.parse_one(sql, read="snowflake").sql("duckdb")
    with pytest.raises(duckdb.BinderException, match="lambda arrow"):
        rows_on("duckdb", arrow)


def test_float_to_integer_casts_round_half_away_from_zero_on_duckdb():
    # Snowflake rounds a FLOAT cast to an integer half away from zero: 0.5 -> 1, 2.5 -> 3, -2.5 -> -3.
    from toolkit.sql.rules.arithmetic import float_to_integer_rounds_half_away

    sql = ("SELECT (x * 10)::INTEGER AS tenths, CAST(x * 10 AS BIGINT) AS also, (-x * 10)::INT AS negative, "
           "CAST(ROUND(x * 10) AS INT) AS rounded FROM (SELECT 0.25::FLOAT AS x) AS t")
    assert _rows(sql, "duckdb") == [(3, 3, -3, 3)]
    assert _rows(sql, "bigquery") == [(3, 3, -3, 3)]  # BigQuery's own CAST rounds half away from zero
    assert rows_without(float_to_integer_rounds_half_away, sql, "duckdb", "snowflake") == [(2, 2, -2, 3)]


def test_dateadd_of_a_date_by_days_or_more_stays_a_date_on_duckdb():
    from toolkit.sql.rules.snowflake_types import dateadd_of_a_date_is_a_date

    sql = ("SELECT DATEADD(month, 1, DATE '2024-01-31') AS m, DATEADD(day, 6, DATE '2024-12-30') AS d, "
           "TIMESTAMPADD(year, 1, DATE '2024-02-29') AS y")
    want = [(dt.date(2024, 2, 29), dt.date(2025, 1, 5), dt.date(2025, 2, 28))]
    assert _rows(sql, "duckdb") == want
    assert _rows(sql, "bigquery") == want
    wrong = rows_without(dateadd_of_a_date_is_a_date, sql, "duckdb", "snowflake")
    assert wrong[0][0] == dt.datetime(2024, 2, 29)
    assert all(type(value) is dt.datetime for value in wrong[0])  # DuckDB: DATE + INTERVAL is a TIMESTAMP


def test_mode_is_refused_on_bigquery_with_an_exact_spelling_and_kept_on_duckdb():
    sql = "SELECT channel, MODE(status) AS usual FROM fact_sales GROUP BY channel"
    with pytest.raises(UnportableError, match="MODE\\(x\\) has no exact BigQuery form.*ROW_NUMBER"):
        compile_sql(sql, "bigquery", source="snowflake")
    alone = "SELECT MODE(x) AS m FROM (SELECT 'a' AS x) AS t"
    assert rows_without(sfa.mode_has_no_bigquery_form, alone, "bigquery", "snowflake").startswith("error: ")
    assert "MODE(status)" in compile_sql(sql, "duckdb", source="snowflake").sql  # DuckDB has MODE


def test_median_and_percentile_cont_of_a_number_keep_three_more_decimals_on_duckdb():
    from decimal import Decimal

    from toolkit.sql.rules.snowflake_types import median_keeps_three_more_decimals

    sql = ("SELECT MEDIAN(x) AS m, PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY x) AS q "
           "FROM (SELECT 50.29::NUMBER(12, 2) AS x UNION ALL SELECT 50.30::NUMBER(12, 2)) AS t")
    want = [(Decimal("50.295"), Decimal("50.2925"))]
    assert _rows(sql, "duckdb") == want  # Snowflake: NUMBER(15, 5)
    assert [tuple(Decimal(str(v)) for v in row) for row in _rows(sql, "bigquery")] == want  # exact in NUMERIC
    assert rows_without(median_keeps_three_more_decimals, sql, "duckdb", "snowflake") == [
        (Decimal("50.29"), Decimal("50.29"))]


@pytest.mark.parametrize("engine", ENGINES)
def test_to_number_reads_text_as_a_rounded_number(engine):
    from decimal import Decimal

    # Snowflake: default NUMBER(38, 0), extra decimals rounded half away from zero; TRY_ gives NULL on bad text.
    sql = ("SELECT TRY_TO_NUMBER('12.5') AS a, TRY_TO_NUMBER('x1') AS b, TO_NUMBER('-2.5') AS c, "
           "TRY_TO_DECIMAL('3.14159', 10, 2) AS d, TO_NUMBER('007') AS e")
    assert _rows(sql, engine) == [(13, None, -3, Decimal("3.14"), 7)]
    if engine == "bigquery":
        assert rows_without(sff.to_number_as_numeric, sql, engine, "snowflake") == "untranslatable"
        with pytest.raises(UnportableError, match="format model"):
            compile_sql("SELECT TO_NUMBER('1,5', '9,9') AS n", engine, source="snowflake")


_TEXT_AND_DATES = "FROM (SELECT DATE '2024-07-01' AS d, 42 AS n) AS t"


@pytest.mark.parametrize("engine", ENGINES)
def test_to_date_of_a_date_is_the_date(engine):
    sql = f"SELECT TO_DATE(d, 'YYYY-MM-DD') AS a, TRY_TO_DATE(d) AS b {_TEXT_AND_DATES}"
    assert _rows(sql, engine) == [(dt.date(2024, 7, 1), dt.date(2024, 7, 1))]
    if engine == "bigquery":  # PARSE_TIMESTAMP('%F', <DATE>): no matching signature
        assert rows_without(sfd.to_date_of_a_date, sql, engine, "snowflake").startswith("error: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_to_timestamp_of_text_is_a_wall_clock_timestamp(engine):
    sql = ("SELECT TO_TIMESTAMP(s) AS a, TRY_TO_TIMESTAMP(bad) AS b, TO_TIMESTAMP(s || '') AS c "
           "FROM (SELECT '2024-07-01 12:00:00' AS s, 'nope' AS bad) AS t")
    noon = dt.datetime(2024, 7, 1, 12, 0)
    assert _rows(sql, engine) == [(noon, None, noon)]
    assert rows_without(sfd.to_timestamp_of_text, sql, engine, "snowflake").startswith("error: ")


def test_a_number_as_text_keeps_its_decimals_on_bigquery():
    sql = ("SELECT '$' || x AS a, CONCAT('n', x) AS b, x::VARCHAR AS c, CAST(y AS VARCHAR) AS d "
           "FROM (SELECT 20.50::NUMBER(12, 2) AS x, -0.5::NUMBER(5, 3) AS y) AS t")
    want = [("$20.50", "n20.50", "20.50", "-0.500")]
    assert _rows(sql, "duckdb") == want
    assert _rows(sql, "bigquery") == want
    assert rows_without(sff.decimal_text_keeps_its_scale, sql, "bigquery", "snowflake") == [
        ("$20.5", "n20.5", "20.5", "-0.5")]


def test_a_window_over_a_grouped_expression_runs_on_bigquery():
    from decimal import Decimal

    sql = ("SELECT YEAR(d) AS y, g, SUM(x) AS s, RATIO_TO_REPORT(SUM(x)) OVER (PARTITION BY YEAR(d)) AS share, "
           "ROW_NUMBER() OVER (ORDER BY YEAR(d), g) AS n "
           "FROM (SELECT DATE '2024-01-01' AS d, 'a' AS g, 1 AS x UNION ALL SELECT DATE '2024-05-01', 'b', 3 "
           "UNION ALL SELECT DATE '2023-05-01', 'b', 5) AS t GROUP BY 1, 2 ORDER BY 1, 2")
    want = [(2023, "b", 5, Decimal("1"), 1), (2024, "a", 1, Decimal("0.25"), 2), (2024, "b", 3, Decimal("0.75"), 3)]
    assert _rows(sql, "duckdb") == want
    assert _rows(sql, "bigquery") == want
    assert rows_without(sff.window_keys_over_grouped_expressions, sql, "bigquery", "snowflake").startswith("error")


@pytest.mark.parametrize("engine", ENGINES)
def test_avg_of_numbers_keeps_snowflakes_division_scale(engine):
    from decimal import Decimal

    from toolkit.sql.rules.snowflake_types import avg_of_numbers_keeps_division_scale

    # Snowflake's own example: AVG of 1, 2, 2 is 1.666667; a NUMBER(5, 2) keeps 8 decimals; a FLOAT stays a FLOAT.
    sql = ("SELECT AVG(x) AS a, AVG(DISTINCT x) AS b, AVG(y) AS c, AVG(z) AS d "
           "FROM (SELECT 1 AS x, 1.25::NUMBER(5, 2) AS y, 0.5::FLOAT AS z UNION ALL SELECT 2, 2.50, 1 "
           "UNION ALL SELECT 2, 2.50, 1) AS t")
    assert _rows(sql, engine) == [(Decimal("1.666667"), Decimal("1.5"), Decimal("2.08333333"), pytest.approx(5 / 6))]
    wrong = rows_without(avg_of_numbers_keeps_division_scale, sql, engine, "snowflake")
    assert wrong[0][0] == pytest.approx(5 / 3) and wrong[0][0] != pytest.approx(1.666667, rel=1e-9)


def test_avg_in_a_window_keeps_the_scale_and_the_frame():
    from decimal import Decimal

    sql = ("SELECT x, AVG(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w "
           "FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 4) AS t ORDER BY x")
    for engine in ENGINES:
        assert _rows(sql, engine) == [(1, Decimal("1")), (2, Decimal("1.5")), (4, Decimal("3"))]


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_the_aws_stand_ins_print_lambdas_duckdb_2_accepts(engine):
    # Snowflake INITCAP reaches Athena and Redshift through DuckDB; their stand-ins translate back to DuckDB.
    from sqltest_catalog import sample_catalog

    from toolkit.engines.aws_translate import to_duckdb

    compiled = compile_sql("SELECT INITCAP('hello wORLD-x') AS a", engine, source="snowflake").sql
    assert rows_on("duckdb", to_duckdb(compiled, engine, sample_catalog())) == [("Hello World-X",)]


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_contains_on_athena_and_redshift_is_a_substring_position(engine):
    # Trino's contains() takes an ARRAY and Redshift has none: the text is the contract (no cloud here).
    from sqltest_helpers import compile_without

    from toolkit.sql.rules.builtins import contains_is_case_sensitive

    sql = "SELECT CONTAINS(product_name, 'Phones') AS a FROM dim_product"
    compiled = compile_sql(sql, engine, source="snowflake").sql
    assert "CONTAINS(" not in compiled.upper() and ("STRPOS(" in compiled or "POSITION(" in compiled)
    assert "CONTAINS(" in compile_without(contains_is_case_sensitive, sql, engine, source="duckdb").sql


@pytest.mark.parametrize(("rule", "sql", "want", "wrong"), [
    # Snowflake weeks end on Sunday (WEEK_START = 0); BigQuery's LAST_DAY(d, WEEK) on Saturday
    ("last_day_of_week_ends_on_sunday", "SELECT LAST_DAY(DATE '2024-02-10', 'week') AS v",
     dt.date(2024, 2, 11), dt.date(2024, 2, 10)),
    ("ceil_floor_to_a_scale", "SELECT FLOOR(-2.349, 2) AS v", -2.35, "error"),
    ("ceil_floor_to_a_scale", "SELECT CEIL(1201, -2) AS v", 1300, "error"),
    ("regexp_count_as_extract_all", "SELECT REGEXP_COUNT('a1b2c3', '[0-9]') AS v", 3, "error"),
    # NULL when any argument is NULL, on Snowflake as on BigQuery's CONCAT
    ("concat_ws_null_if_any_null", "SELECT CONCAT_WS(',', 'a', NULL, 'b') AS v", None, "error"),
    ("concat_ws_null_if_any_null", "SELECT CONCAT_WS('-', 'a', 'b', 'c') AS v", "a-b-c", "error"),
])
def test_snowflake_functions_bigquery_reads_differently_or_lacks(rule, sql, want, wrong):
    module = sfd if hasattr(sfd, rule) else sff
    from decimal import Decimal

    value = _rows(sql, "bigquery")[0][0]
    assert (Decimal(str(value)) == Decimal(str(want))) if isinstance(want, (int, float)) else value == want
    assert _rows(sql, "duckdb")[0][0] == want
    without = rows_without(getattr(module, rule), sql, "bigquery", "snowflake")
    assert without.startswith("error") if wrong == "error" else without == [(wrong,)]


def test_snowflake_date_part_names_reach_bigquery_with_their_meaning():
    # 2024-01-07 is a Sunday; 2024-12-30 a Monday in ISO week 1 of 2025.
    sql = ("SELECT EXTRACT(dayofweekiso FROM DATE '2024-01-07') AS a, DATE_PART(weekday, DATE '2024-01-07') AS b, "
           "EXTRACT(weekiso FROM DATE '2024-12-30') AS c, EXTRACT(yearofweek FROM DATE '2024-12-30') AS d, "
           "EXTRACT(doy FROM DATE '2024-12-30') AS e, EXTRACT(yy FROM DATE '2024-05-01') AS f, "
           "EXTRACT(mm FROM DATE '2024-05-01') AS g")
    want = [(7, 0, 1, 2025, 365, 2024, 5)]
    assert _rows(sql, "bigquery") == want
    assert _rows(sql, "duckdb") == want
    assert rows_without(sfd.date_part_names_for_bigquery, sql, "bigquery", "snowflake").startswith("error")


_GAPS = ("FROM (SELECT 1 AS g, 10 AS x, 'a' AS s UNION ALL SELECT 1, NULL, 'b' UNION ALL SELECT 1, 30, 'c' "
         "UNION ALL SELECT 2, 5, 'a') AS t")


def test_lag_and_lead_ignore_nulls_fill_gaps_on_bigquery():
    sql = (f"SELECT g, s, LAG(x) IGNORE NULLS OVER (PARTITION BY g ORDER BY s) AS prev, "
           f"LEAD(x) IGNORE NULLS OVER (PARTITION BY g ORDER BY s) AS nxt {_GAPS} ORDER BY g, s")
    want = [(1, "a", None, 30), (1, "b", 10, 30), (1, "c", 10, None), (2, "a", None, None)]
    assert _rows(sql, "duckdb") == want
    assert _rows(sql, "bigquery") == want
    rule = sff.lag_lead_ignore_nulls_as_last_first_value
    assert rows_without(rule, sql, "bigquery", "snowflake").startswith("error")
    with pytest.raises(UnportableError, match="LAG\\(x, n, default\\) IGNORE NULLS"):
        compile_sql(f"SELECT LAG(x, 2) IGNORE NULLS OVER (ORDER BY s) AS p {_GAPS}", "bigquery", source="snowflake")


def test_convert_timezone_of_a_wall_clock_on_bigquery():
    sql = "SELECT CONVERT_TIMEZONE('UTC', 'America/New_York', '2024-07-01 12:00:00'::TIMESTAMP_NTZ) AS t"
    assert _rows(sql, "bigquery") == _rows(sql, "duckdb") == [(dt.datetime(2024, 7, 1, 8, 0),)]
    assert rows_without(sfd.convert_timezone_of_a_wall_clock, sql, "bigquery", "snowflake").startswith("error")


def test_date_from_parts_carries_months_and_days_over_on_bigquery():
    sql = ("SELECT DATE_FROM_PARTS(y, m + 1, 1) AS next_month, DATE_FROM_PARTS(2024, 2, 30) AS c, "
           "DATE_FROM_PARTS(2024, 5, 17) AS d FROM (SELECT 2024 AS y, 12 AS m) AS t")
    want = [(dt.date(2025, 1, 1), dt.date(2024, 3, 1), dt.date(2024, 5, 17))]
    assert _rows(sql, "bigquery") == _rows(sql, "duckdb") == want
    assert rows_without(sfd.date_from_parts_overflows, sql, "bigquery", "snowflake").startswith("error")


@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_snowflake_dates_and_quantiles_reach_athena_and_redshift(engine):
    # Through DuckDB: computed INTERVALs, MAKE_DATE and QUANTILE_CONT(x, f ORDER BY x) had no Athena/Redshift form.
    from decimal import Decimal

    from sqltest_catalog import sample_catalog

    from toolkit.engines.aws_translate import to_duckdb

    sql = ("SELECT LAST_DAY(d, 'week') AS w, ADD_MONTHS(d, 1) AS a, DATE_FROM_PARTS(YEAR(d), MONTH(d) + 1, 1) AS m, "
           "PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY x) AS q "
           "FROM (SELECT DATE '2024-12-31' AS d, 1.00::NUMBER(5, 2) AS x UNION ALL "
           "SELECT DATE '2024-12-31', 2.00::NUMBER(5, 2)) AS t GROUP BY d")
    compiled = compile_sql(sql, engine, source="snowflake").sql
    assert "INTERVAL (" not in compiled and "DATE_FROM_PARTS" not in compiled and "ORDER BY x)" not in compiled
    assert rows_on("duckdb", to_duckdb(compiled, engine, sample_catalog())) == [
        (dt.date(2025, 1, 5), dt.date(2025, 1, 31), dt.date(2025, 1, 1), Decimal("1.25"))]


def test_date_minus_date_is_a_number_of_days_on_bigquery():
    sql = ("SELECT d2 - d AS days, SUM(d2 - d) OVER () AS total "
           "FROM (SELECT DATE '2024-02-28' AS d, DATE '2024-03-02' AS d2) AS t")
    assert _rows(sql, "bigquery") == _rows(sql, "duckdb") == [(3, 3)]
    wrong = rows_without(sfd.date_minus_date_is_days, sql, "bigquery", "snowflake")
    assert not isinstance(wrong[0][0], int)  # an INTERVAL, not the number 3


def test_round_with_a_rounding_mode_on_bigquery():
    from decimal import Decimal

    sql = "SELECT ROUND(2.345, 2, 'HALF_TO_EVEN') AS e, ROUND(2.345, 2, 'HALF_AWAY_FROM_ZERO') AS a"
    assert [tuple(Decimal(str(v)) for v in row) for row in _rows(sql, "bigquery")] == [
        (Decimal("2.34"), Decimal("2.35"))]
    assert _rows(sql, "duckdb") == [(Decimal("2.34"), Decimal("2.35"))]
    assert rows_without(sff.round_mode_names, sql, "bigquery", "snowflake").startswith("error")
    with pytest.raises(UnportableError, match="rounding mode"):
        compile_sql("SELECT ROUND(2.345::FLOAT, 2, 'HALF_TO_EVEN') AS e", "bigquery", source="snowflake")


@pytest.mark.parametrize("engine", ENGINES)
def test_max_by_returns_the_winning_rows_value_even_null(engine):
    # Group 1: the highest x (30) has a NULL s, the lowest (10) 'a'; the row with no x is never the winner.
    sql = ("SELECT g, MAX_BY(s, x) AS top, MIN_BY(s, x) AS low FROM (SELECT 1 AS g, 10 AS x, 'a' AS s "
           "UNION ALL SELECT 1, 30, NULL UNION ALL SELECT 1, NULL, 'z' UNION ALL SELECT 2, 5, 'c') AS t "
           "GROUP BY g ORDER BY g")
    assert _rows(sql, engine) == [(1, None, "a"), (2, "c", "c")]
    wrong = rows_without(sfa.max_by_returns_the_rows_value, sql, engine, "snowflake")
    if engine == "duckdb":  # ARG_MAX skips the row whose s is NULL
        assert wrong[0] == (1, "a", "a")
    else:
        assert wrong.startswith("error")


def test_max_by_through_duckdb_is_max_by_on_athena_and_refused_on_redshift():
    sql = "SELECT MAX_BY(payment_method, amount) AS a, MIN_BY(payment_method, amount) AS b FROM fact_sales"
    assert "MAX_BY(payment_method, amount)" in compile_sql(sql, "athena", source="snowflake").sql
    assert "ARG_MAX_NULL" not in compile_sql(sql, "athena", source="snowflake").sql
    with pytest.raises(UnportableError, match="no Redshift form"):
        compile_sql(sql, "redshift", source="snowflake")


@pytest.mark.parametrize("engine", ENGINES)
def test_count_distinct_of_several_columns_skips_pairs_with_a_null(engine):
    sql = ("SELECT g, COUNT(DISTINCT x, s) AS n FROM (SELECT 1 AS g, 10 AS x, 'a' AS s UNION ALL SELECT 1, 10, 'a' "
           "UNION ALL SELECT 1, 10, 'b' UNION ALL SELECT 1, NULL, 'b' UNION ALL SELECT 1, 30, NULL "
           "UNION ALL SELECT 2, NULL, NULL) AS t GROUP BY g ORDER BY g")
    assert _rows(sql, engine) == [(1, 2), (2, 0)]
    if engine == "bigquery":
        assert rows_without(sfa.count_distinct_of_several_columns, sql, engine, "snowflake").startswith("error")


@pytest.mark.parametrize(("source", "sql", "want"), [
    ("snowflake", "SELECT CONCAT_WS('/', 'a', 'b', 'c') AS w, CONCAT_WS('/', 'a', NULL) AS n, "
                  "REGEXP_COUNT(s, '[aeiou]') AS v FROM (SELECT 'marketplace' AS s) AS t", ("a/b/c", None, 4)),
    ("duckdb", "SELECT concat_ws('/', 'a', NULL, 'b') AS w, concat('x', NULL) AS c", ("a/b", "x")),
])
@pytest.mark.parametrize("engine", ["athena", "redshift"])
def test_concat_ws_and_regexp_count_reach_athena_and_redshift(engine, source, sql, want):
    from sqltest_catalog import sample_catalog

    from toolkit.engines.aws_translate import to_duckdb

    compiled = compile_sql(sql, engine, source=source).sql
    assert "REGEXP_EXTRACT_ALL" not in compiled
    assert engine != "redshift" or "CONCAT_WS" not in compiled
    assert rows_on("duckdb", to_duckdb(compiled, engine, sample_catalog())) == [want]


@pytest.mark.parametrize("engine", ENGINES)
def test_text_cast_to_an_integer_is_read_as_a_number_and_rounded(engine):
    sql = ("SELECT s::INT AS a, CAST(s AS BIGINT) AS b, TRY_CAST(bad AS INT) AS c, '-2.5'::INTEGER AS d "
           "FROM (SELECT '2.5' AS s, 'x' AS bad) AS t")
    assert _rows(sql, engine) == [(3, 3, None, -3)]
    if engine == "bigquery":
        assert rows_without(sff.text_to_integer_rounds, sql, engine, "snowflake").startswith("error")
