"""Every bug the fuzzer found, as its minimal query: it passes the differential check (DuckDB source vs ZetaSQL on
the compiled BigQuery text), and fails it again with the rule that fixed it taken out."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest
from fuzz_helpers import seeded_checker, without

from toolkit.sql import rules as rules_module
from toolkit.sql.rules.builtins import (
    arg_max_as_array_agg,
    calendar_functions_as_extract,
    constant_value_window_is_the_constant,
    contains_is_case_sensitive,
)
from toolkit.sql.rules.ordering import expand_group_and_order_all
from toolkit.sql.rules.predicates import (
    comparisons_non_associative,
    is_binds_after_comparison,
    like_backslash_is_literal,
    rule_built_operands_parenthesised,
)
from toolkit.sql.rules.timestamps import (
    instant_diff_counts_boundaries,
    instant_plus_months_via_datetime,
    wall_clock_meets_instant_in_utc,
)

# (rule, minimal query as the shrinker printed it (seed 0; the LIKE/BETWEEN one is the same family, IS over a
# predicate, which DuckDB and sqlglot read alike), how the check fails without the rule)
FOUND = [
    pytest.param(
        is_binds_after_comparison,
        "SELECT t0.order_date AS c0 FROM fact_sales AS t0 "
        "WHERE t0.order_ts >= CAST('2023-12-31 23:30:00+00' AS TIMESTAMPTZ) IS NULL",
        ("error", "bigquery"), id="is-null-after-comparison"),
    pytest.param(
        is_binds_after_comparison,
        "SELECT 10 AS c0 FROM dim_customer AS t0 WHERE NOT t0.signup_date <> CAST('2024-01-01' AS DATE) IS NULL",
        ("error", "bigquery"), id="not-comparison-is-null"),
    pytest.param(
        comparisons_non_associative,
        "SELECT t0.status LIKE 'D%' IS NULL AS c0, t0.quantity BETWEEN 1 AND 3 IS NOT NULL AS c1 FROM fact_sales AS t0",
        ("error", "bigquery"), id="comparison-operands"),
    pytest.param(
        like_backslash_is_literal,
        "SELECT CASE WHEN 'x%y' LIKE '%\\%%' THEN CAST(NULL AS TIMESTAMPTZ) "
        "ELSE CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ) END AS c0 FROM fact_sales AS t0",
        ("mismatch", "bigquery"), id="like-backslash"),
    # seed 20
    pytest.param(calendar_functions_as_extract, "SELECT AVG(YEAR(t0.order_month)) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="year-function"),
    pytest.param(calendar_functions_as_extract, "SELECT QUARTER(t0.signup_date) AS c0 FROM dim_customer AS t0",
                 ("error", "bigquery"), id="quarter-function"),
    pytest.param(contains_is_case_sensitive,
                 "SELECT 10 AS c0 FROM fact_sales AS t0 WHERE CONTAINS('Cancelled', 'a')",
                 ("error", "bigquery"), id="contains"),
    # seed 21
    pytest.param(rule_built_operands_parenthesised,
                 "SELECT CAST('0.1' AS DOUBLE) * EXTRACT(ISODOW FROM t0.order_month) AS c0 FROM fact_sales AS t0",
                 ("mismatch", "bigquery"), id="isodow-times"),
    pytest.param(expand_group_and_order_all,
                 "SELECT CAST('100.00' AS DECIMAL(12, 2)) AS c0, COUNT(*) AS c1 FROM dim_customer AS t0 "
                 "WHERE FALSE GROUP BY ALL",
                 ("mismatch", "bigquery"), id="group-by-all-constant"),
    # seed 40
    pytest.param(arg_max_as_array_agg, "SELECT ARG_MAX(t0.signup_date, 0) AS c0 FROM dim_customer AS t0",
                 ("error", "bigquery"), id="arg-max-constant-key"),
    pytest.param(arg_max_as_array_agg,
                 "SELECT t0.channel AS c0, ARG_MIN(t0.status, t0.sale_id) AS c1 FROM fact_sales AS t0 GROUP BY 1",
                 ("error", "bigquery"), id="arg-min"),
    pytest.param(wall_clock_meets_instant_in_utc,
                 "SELECT 10 AS c0 FROM dim_customer AS t0 "
                 "WHERE CAST('2023-12-31 23:30:00+00' AS TIMESTAMPTZ) > (t0.signup_date + INTERVAL '1' HOUR)",
                 ("error", "bigquery"), id="instant-vs-date-plus-interval"),
    pytest.param(wall_clock_meets_instant_in_utc,
                 "SELECT COUNT(*) AS n FROM fact_sales AS t0 WHERE t0.order_ts >= DATE '2024-01-01'",
                 ("error", "bigquery"), id="instant-vs-date"),
    pytest.param(wall_clock_meets_instant_in_utc,
                 "SELECT NULLIF(t0.signup_date - INTERVAL '30' DAY, CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ)) "
                 "AS c0 FROM dim_customer AS t0",
                 ("error", "bigquery"), id="nullif-datetime-timestamp"),
    # seed 42
    pytest.param(instant_diff_counts_boundaries,
                 "SELECT DATE_DIFF('DAY', CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ), "
                 "CAST('2023-12-31 23:30:00+00' AS TIMESTAMPTZ)) AS c0 FROM dim_customer AS t0",
                 ("mismatch", "bigquery"), id="date-diff-day-on-instants"),
    pytest.param(instant_diff_counts_boundaries,
                 "SELECT date_diff('hour', t0.order_ts, CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ)) AS c0 "
                 "FROM fact_sales AS t0",
                 ("mismatch", "bigquery"), id="date-diff-hour-on-instants"),
    # seed 100
    pytest.param(instant_plus_months_via_datetime,
                 "SELECT COUNT(CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ) + INTERVAL '1' MONTH) AS c0 "
                 "FROM dim_region AS t0",
                 ("error", "bigquery"), id="instant-plus-month"),
    pytest.param(instant_plus_months_via_datetime,
                 "SELECT t0.sale_id AS c0, t0.order_ts - INTERVAL 1 MONTH AS c1 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="instant-minus-month-values"),
    # seed 105
    pytest.param(wall_clock_meets_instant_in_utc,
                 "SELECT DATE_DIFF('HOUR', t0.order_date + INTERVAL '1' DAY, t0.order_ts) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="date-diff-wall-clock-and-instant"),
    # seed 102 (long run)
    pytest.param(constant_value_window_is_the_constant,
                 "SELECT LAST_VALUE(TRY_CAST('' AS DATE)) OVER (PARTITION BY 'Cancelled' ORDER BY 25) AS c0 "
                 "FROM dim_customer AS t0",
                 ("error", "bigquery"), id="last-value-of-null-constant"),
    # seeds 205 and 207 (long run)
    pytest.param(instant_plus_months_via_datetime,
                 "SELECT (CAST('2023-12-31 23:30:00+00' AS TIMESTAMPTZ) - INTERVAL '1' MONTH) - INTERVAL '1' MONTH "
                 "AS c0 FROM dim_payment AS t0",
                 ("error", "bigquery"), id="instant-minus-two-months"),
]


@pytest.fixture(scope="module")
def checker():
    yield from seeded_checker(0)



@pytest.mark.parametrize(("rule", "sql", "signature"), FOUND)
def test_found_bug_stays_fixed(checker, rule, sql, signature):
    outcome = checker.check_sql(sql)
    assert outcome.status == "pass", (outcome.signature, outcome.message, outcome.compiled_sql)
    with without(rule):
        broken = checker.check_sql(sql)
    if rule is expand_group_and_order_all:  # without the expansion BigQuery rejects GROUP BY ALL: use the old one
        with without(rule), _old_group_by_all():
            broken = checker.check_sql(sql)
    assert broken.signature[:2] == signature, (broken.status, broken.message)


@contextmanager
def _old_group_by_all() -> Iterator[None]:
    """expand_group_and_order_all as it was before the fuzzer's find: every non-aggregate item a key."""
    from sqlglot import exp

    def old(tree, ctx):
        for select in list(tree.find_all(exp.Select)):
            group = select.args.get("group")
            if group is not None and group.args.get("all"):
                keys = [exp.Literal.number(i) for i, item in enumerate(select.expressions, start=1)
                        if not item.find(exp.AggFunc)]
                select.set("group", exp.Group(expressions=keys))
        return tree

    saved = dict(rules_module.RULES)
    try:
        for key, rules in saved.items():
            if key[0] == "duckdb" and key[1] != "duckdb":
                rules_module.RULES[key] = (old, *rules)
        yield
    finally:
        rules_module.RULES.clear()
        rules_module.RULES.update(saved)
