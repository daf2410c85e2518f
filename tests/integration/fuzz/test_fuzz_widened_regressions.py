"""Bugs the widened fuzzer found (issue 13 item 6), each as the minimal query the shrinker printed (the medians
grouped, so that the data of seed 310 has groups whose middle falls between two cents): it passes the differential
check (DuckDB source vs ZetaSQL on the compiled BigQuery text), and fails it again the way the fuzzer saw with the
fix taken out (a rule removed from the table, or the typing step switched off)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest

from toolkit.sql import rules as rules_module
from toolkit.sql.fuzz.catalog import gold_catalog
from toolkit.sql.fuzz.check import Checker
from toolkit.sql.fuzz.data import fuzz_tables
from toolkit.sql.rules import duckdb_functions as functions
from toolkit.sql.rules import duckdb_source, duckdb_text, duckdb_types, groups, quantiles
from toolkit.sql.rules.builtins import calendar_functions_as_extract, constant_value_window_is_the_constant

TYPING = "type_duckdb_functions"  # not a rule: the typing step compile._annotate calls
CORRELATED = "quantile fold carries correlated columns"

FOUND = [
    # seed 301
    pytest.param(duckdb_source.date_part_as_extract,
                 "SELECT DATE_PART('year', t0.signup_date) AS c0 FROM dim_customer AS t0",
                 ("error", "bigquery"), id="date-part-year"),
    pytest.param(duckdb_source.date_part_as_extract,
                 "SELECT DATE_PART('yearweek', t0.signup_date) AS c0 FROM dim_customer AS t0",
                 ("error", "bigquery"), id="date-part-yearweek"),
    pytest.param(duckdb_text.concat_ws_skips_nulls,
                 "SELECT CONCAT_WS(',', 'Cancelled', 'web') AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="concat-ws"),
    pytest.param(functions.concat_casts_to_text,
                 "SELECT 10 AS c0 FROM dim_customer AS t0 QUALIFY ROW_NUMBER() OVER (PARTITION BY "
                 "CONCAT(t0.customer_name, t0.birth_year, CAST(NULL AS TEXT)) ORDER BY t0.customer_id) <= 2",
                 ("error", "bigquery"), id="concat-integer"),
    pytest.param(functions.date_sub_counts_whole_parts,
                 "SELECT date_sub('week', t0.signup_date, DATE '2024-01-01') AS c0 FROM dim_customer AS t0",
                 ("error", "bigquery"), id="date-sub-week"),
    # seed 300
    pytest.param(duckdb_text.regexp_extract_empty_without_match,
                 "SELECT REGEXP_EXTRACT(t1.country, 'x') AS c0, COUNT(*) AS c1 FROM dim_customer AS t0 "
                 "LEFT JOIN dim_region AS t1 ON t0.region_id = t1.region_id GROUP BY 1",
                 ("mismatch", "bigquery"), id="regexp-extract-no-match"),
    pytest.param(TYPING, "SELECT t0.Status AS c0, MEDIAN(ROUND(t0.Amount, 3)) AS c1 FROM amazon_sales_gold AS t0 "
                         "GROUP BY 1", ("mismatch", "bigquery"), id="median-of-round"),
    pytest.param(CORRELATED,
                 "SELECT t0.provider AS c0, MEDIAN(LENGTH(t0.provider)) AS c1, "
                 "MIN((SELECT COUNT(*) FROM amazon_sales_gold AS s0 WHERE s0.ship_state = t0.provider)) AS c2 "
                 "FROM dim_payment AS t0 GROUP BY 1",
                 ("error", "bigquery"), id="median-beside-correlated-subquery"),
    # seeds 310-313
    pytest.param(duckdb_text.split_element_as_text,
                 "SELECT STR_SPLIT(t0.customer_name, 'p')[2] AS c0 FROM dim_customer AS t0",
                 ("error", "bigquery"), id="split-index-past-the-end"),
    pytest.param(groups.float_partition_keys,
                 "SELECT 'x%y' AS c0, LEAD(t0.order_date) OVER (PARTITION BY ABS(t0.discount_pct) "
                 "ORDER BY t0.sale_id) AS c1 FROM fact_sales AS t0",  # found as SIGN(...): sign_is_an_integer now
                 ("error", "bigquery"), id="float-partition"),
    pytest.param(TYPING,
                 "WITH w0 AS (SELECT 10 AS c0, ARG_MAX(t0.signup_date, 0) AS c1 FROM dim_customer AS t0) "
                 "SELECT t0.c1 AS c0 FROM w0 AS t0 WHERE CAST('2023-12-31 23:30:00+00' AS TIMESTAMPTZ) >= t0.c1",
                 ("error", "bigquery"), id="arg-max-date-in-cte"),
    pytest.param(TYPING, "SELECT t0.channel AS c0, MEDIAN(CEIL(t0.unit_price)) AS c1 FROM fact_sales AS t0 GROUP BY 1",
                 ("mismatch", "bigquery"), id="median-of-ceil"),
    # seed 300 (was KNOWN_GAPS["grouping_sets_on_empty_input"] for an hour)
    pytest.param(groups.grand_total_without_rows,
                 "SELECT t2.Date AS c0 FROM fact_sales AS t0 RIGHT JOIN amazon_sales_gold AS t2 "
                 "ON t0.order_id = t2.Order_ID WHERE FALSE GROUP BY GROUPING SETS ((t2.Date), (t2.Date), ())",
                 ("mismatch", "bigquery"), id="grouping-sets-grand-total-on-no-rows"),
    pytest.param(groups.grand_total_without_rows,
                 "WITH w AS (SELECT t0.Status AS c0, COUNT(*) AS c1, SUM(t0.Amount) AS c2 FROM amazon_sales_gold AS t0 "
                 "WHERE t0.Qty > 100 GROUP BY ROLLUP (t0.Status) HAVING COUNT(*) < 5) SELECT c0, c1, c2 FROM w",
                 ("mismatch", "bigquery"), id="rollup-grand-total-on-no-rows"),
    # seeds 322, 323
    pytest.param(duckdb_text.number_text_as_duckdb_prints, "SELECT CAST(-3.10 AS TEXT) AS c0 FROM dim_region AS t0",
                 ("mismatch", "bigquery"), id="text-of-negative-decimal-literal"),
    pytest.param(functions.sign_is_an_integer,
                 "SELECT MAX(7 // NULLIF(SIGN(t0.discount_pct), 0)) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="sign-of-double-divides"),
    # seeds 330-337
    pytest.param(duckdb_source.week_difference_whole_weeks,
                 "SELECT DATE_DIFF('WEEK', t0.order_month, CAST('2023-12-31' AS DATE)) AS c0, COUNT(*) AS c1 "
                 "FROM fact_sales AS t0 GROUP BY 1", ("mismatch", "bigquery"), id="date-diff-week"),
    pytest.param(calendar_functions_as_extract,
                 "SELECT MAKE_DATE(YEAR(MAKE_DATE(YEAR(t0.signup_date), MONTH(t0.signup_date), 1)), 1, 1) AS c0 "
                 "FROM dim_customer AS t0", ("error", "bigquery"), id="nested-year-in-make-date"),
    pytest.param(groups.grand_total_without_rows,
                 "WITH w0 AS (SELECT 7 AS c2 FROM dim_payment AS t0) SELECT CAST(t0.c2 AS DECIMAL(12, 2)) AS c0, "
                 "COUNT(*) AS c1 FROM w0 AS t0 WHERE FALSE GROUP BY ROLLUP (CAST(t0.c2 AS DECIMAL(12, 2))) "
                 "ORDER BY 1 DESC LIMIT 3", ("mismatch", "bigquery"), id="grand-total-under-a-cte"),
    # seeds 340, 345: the same rules on nested calls (the outer call copied the inner one before it was rewritten)
    pytest.param(duckdb_text.concat_ws_skips_nulls,
                 "SELECT CONCAT_WS(',', 'Cancelled', CONCAT_WS('', '', 'x%y')) AS c0 FROM dim_region AS t0",
                 ("error", "bigquery"), id="nested-concat-ws"),
    pytest.param(functions.concat_casts_to_text,
                 "SELECT CONCAT(CONCAT('x%y', 1, 'Cancelled'), t0.order_month, '') AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="nested-concat"),
    # seed 352
    pytest.param(constant_value_window_is_the_constant,
                 "SELECT LAST_VALUE(TRY_CAST('x%y' AS DATE) IGNORE NULLS) OVER (ORDER BY t0.sale_id "
                 "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS c0 FROM fact_sales AS t0",
                 ("error", "bigquery"), id="last-value-ignore-nulls-of-null-constant"),
    # seed 363
    pytest.param(duckdb_text.number_text_as_duckdb_prints, "SELECT CAST(ABS(1.50) AS TEXT) AS c0 FROM dim_region AS t0",
                 ("mismatch", "bigquery"), id="text-of-abs-of-decimal-literal"),
    # seeds 372, 373
    pytest.param(functions.math_in_double,
                 "SELECT SUM(SQRT(ABS(0.05))) OVER (PARTITION BY t0.country) AS c0 FROM dim_customer AS t0",
                 ("mismatch", "bigquery"), id="sqrt-of-decimal"),
    pytest.param(groups.grand_total_without_rows,
                 "SELECT LEFT(t0.status, 2) AS c0, COUNT(*) AS c1 FROM fact_sales AS t0 WHERE t0.quantity > 100 "
                 "GROUP BY GROUPING SETS ((LEFT(t0.status, 2)), ()) UNION ALL SELECT t0.ship_city AS c0, t0.Qty AS c1 "
                 "FROM amazon_sales_gold AS t0", ("mismatch", "bigquery"), id="grand-total-in-a-union-branch"),
    # seed 13 (the fixed-seed run's query 22)
    pytest.param(groups.set_operation_instants_in_utc,
                 "SELECT t0.signup_date - INTERVAL '2' DAY AS c0 FROM dim_customer AS t0 UNION ALL "
                 "SELECT CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ) AS c0 FROM dim_region AS t0",
                 ("error", "bigquery"), id="union-wall-clock-and-instant"),
]


@pytest.fixture(scope="module")
def checker():
    catalog = gold_catalog()
    checker = Checker(catalog, fuzz_tables(catalog, 310))
    yield checker
    checker.close()


@contextmanager
def without(fix, monkeypatch) -> Iterator[None]:
    if fix == TYPING:
        monkeypatch.setattr(duckdb_types, TYPING, lambda tree, dialect: False)
        yield
        return
    if fix == CORRELATED:
        monkeypatch.setattr(quantiles, "_correlated", lambda column, select, sources: False)
        yield
        return
    saved = dict(rules_module.RULES)
    try:
        for key, rules in saved.items():
            rules_module.RULES[key] = tuple(r for r in rules if r is not fix)
        yield
    finally:
        rules_module.RULES.clear()
        rules_module.RULES.update(saved)


@pytest.mark.parametrize(("fix", "sql", "signature"), FOUND)
def test_found_bug_stays_fixed(checker, monkeypatch, fix, sql, signature):
    outcome = checker.check_sql(sql)
    assert outcome.status == "pass", (outcome.signature, outcome.message, outcome.compiled_sql)
    assert "bigquery" not in outcome.refusals, outcome.refusals
    with without(fix, monkeypatch):
        broken = checker.check_sql(sql)
    assert broken.signature is not None and broken.signature[:2] == signature, (broken.status, broken.message)
