"""Bugs found by hunting with DuckDB-dialect KPIs and by the fuzzer once the `date_trunc_as_timestamp` gap was
closed, as minimal queries: each passes the differential check (DuckDB source vs ZetaSQL on the compiled BigQuery
text) and fails it again with the rule that fixed it taken out."""

from __future__ import annotations

import pytest
from fuzz_helpers import seeded_checker, without

from toolkit.sql.rules.duckdb_queries import intersect_binds_tighter
from toolkit.sql.rules.duckdb_source import (
    date_arithmetic_as_operators,
    date_formatted_with_a_clock,
    date_part_as_extract,
    epoch_functions,
    last_day_of_an_instant,
    parse_time_verbatim,
    timestamp_text_as_duckdb_prints,
    truncated_date_read_as_timestamp,
    week_difference_whole_weeks,
)
from toolkit.sql.rules.duckdb_text import (
    concat_ws_skips_nulls,
    number_text_as_duckdb_prints,
    regexp_extract_empty_without_match,
    regexp_flags_inline,
    regexp_replace_first_match_anchored,
    split_element_as_text,
)
from toolkit.sql.rules.strings import split_part_on_bigquery

FOUND = [
    # the two minimal queries KNOWN_GAPS["date_trunc_as_timestamp"] named (seed 20), and their family
    pytest.param(truncated_date_read_as_timestamp,
                 "SELECT DATE_TRUNC('HOUR', DATE_TRUNC('MONTH', t0.order_month)) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="hour-of-truncated-date"),
    pytest.param(truncated_date_read_as_timestamp,
                 "SELECT EXTRACT(HOUR FROM DATE_TRUNC('MONTH', t0.order_month)) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="extract-hour-of-truncated-date"),
    pytest.param(truncated_date_read_as_timestamp,
                 "SELECT CAST(DATE_TRUNC('MONTH', t0.order_month) AS VARCHAR) AS c0 FROM fact_sales AS t0",
                 ("mismatch", "bigquery"), id="truncated-date-as-text"),
    pytest.param(date_formatted_with_a_clock,
                 "SELECT strftime(t0.order_date, '%Y-%m-%d %H') AS c0 FROM fact_sales AS t0",
                 ("mismatch", "bigquery"), id="date-formatted-with-hours"),
    # the DuckDB-dialect hunt (tests/corpus/duckdb_hunt), each reduced to one construct
    pytest.param(date_part_as_extract, "SELECT date_part('hour', t0.order_ts) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="date-part"),
    pytest.param(epoch_functions, "SELECT epoch(t0.order_ts) AS c0, epoch(t0.order_date) AS c1 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="epoch"),
    pytest.param(epoch_functions, "SELECT epoch_ms(t0.order_ts) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="epoch-ms"),
    pytest.param(parse_time_verbatim,
                 "SELECT strptime(strftime(t0.order_date, '%Y-%m-%d'), '%Y-%m-%d') AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="strptime"),
    pytest.param(concat_ws_skips_nulls,
                 "SELECT concat_ws('/', t0.channel, t0.payment_method, t0.quantity) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="concat-ws"),
    pytest.param(split_element_as_text,
                 "SELECT string_split(t0.order_id, '-')[3] AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="split-element-past-the-end"),
    pytest.param(split_part_on_bigquery,  # fuzzer, seed 20 query 194
                 "SELECT SPLIT_PART(SPLIT_PART('web', ' ', 1), ' ', 2) AS c0 FROM fact_sales AS t0 GROUP BY 1",
                 ("error", "bigquery"), id="nested-split-part"),
    pytest.param(week_difference_whole_weeks,
                 "SELECT date_diff('week', t0.order_date, DATE '2024-12-31') AS c0 FROM fact_sales AS t0",
                 ("mismatch", "bigquery"), id="week-difference"),
    pytest.param(date_arithmetic_as_operators,
                 "SELECT date_add(t0.order_date, INTERVAL 1 MONTH) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="date-add-interval"),
    pytest.param(date_arithmetic_as_operators,
                 "SELECT t0.order_date - DATE '2024-01-01' AS c0 FROM fact_sales AS t0",
                 ("mismatch", "bigquery"), id="date-minus-date"),
    pytest.param(last_day_of_an_instant, "SELECT last_day(t0.order_ts) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="last-day-of-instant"),
    pytest.param(date_part_as_extract, "SELECT weekday(t0.order_date) AS c0, extract(epoch FROM t0.order_ts) AS c1 "
                 "FROM fact_sales AS t0", ("error", "bigquery"), id="weekday-and-extract-epoch"),
    pytest.param(regexp_extract_empty_without_match,
                 "SELECT regexp_extract(t0.status, 'z+') AS c0, COUNT(*) AS c1 FROM fact_sales AS t0 GROUP BY 1",
                 ("mismatch", "bigquery"), id="regexp-extract-without-match"),
    pytest.param(timestamp_text_as_duckdb_prints,
                 "SELECT CAST(CAST('2024-03-05 20:00:53.03+00' AS TIMESTAMPTZ) AS VARCHAR) AS c0 FROM dim_region AS t0",
                 ("mismatch", "bigquery"), id="timestamp-as-text"),
    pytest.param(number_text_as_duckdb_prints,
                 "SELECT CAST(t0.amount AS VARCHAR) AS c0, CAST(CAST('123' AS DOUBLE) AS VARCHAR) AS c1 "
                 "FROM fact_sales AS t0", ("mismatch", "bigquery"), id="numbers-as-text"),
    pytest.param(regexp_flags_inline,
                 "SELECT regexp_matches(t0.status, '^deliv', 'i') AS c0, COUNT(*) AS c1 FROM fact_sales AS t0 "
                 "GROUP BY 1",
                 ("error", "bigquery"), id="regexp-option-i"),
    pytest.param(intersect_binds_tighter,
                 "SELECT t0.customer_id AS c0 FROM fact_sales AS t0 UNION SELECT 1 INTERSECT SELECT 2",
                 ("error", "bigquery"), id="intersect-precedence"),
]

# Refused without the rule (so there is no compiled text to run): passes with it.
UNREFUSED = [
    pytest.param(regexp_replace_first_match_anchored,
                 "SELECT regexp_replace(t0.status, '[aeiou]', '*') AS c0, "
                 "regexp_replace(t0.order_id, '0+', '') AS c1 FROM fact_sales AS t0", id="regexp-first-match"),
]


@pytest.fixture(scope="module")
def checker():
    yield from seeded_checker(20)



@pytest.mark.parametrize(("rule", "sql", "signature"), FOUND)
def test_found_bug_stays_fixed(checker, rule, sql, signature):
    outcome = checker.check_sql(sql)
    assert outcome.status == "pass", (outcome.signature, outcome.message, outcome.compiled_sql)
    with without(rule):
        broken = checker.check_sql(sql)
    assert broken.signature[:2] == signature, (broken.status, broken.message)


@pytest.mark.parametrize(("rule", "sql"), UNREFUSED)
def test_refusal_lifted_by_a_rule_stays_right(checker, rule, sql):
    outcome = checker.check_sql(sql)
    assert outcome.status == "pass" and "bigquery" not in outcome.refusals, (outcome.message, outcome.compiled_sql)
    with without(rule):
        assert "bigquery" in checker.check_sql(sql).refusals
