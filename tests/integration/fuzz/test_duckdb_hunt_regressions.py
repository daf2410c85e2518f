"""Bugs found by hunting with DuckDB-dialect KPIs and by the fuzzer once the `date_trunc_as_timestamp` gap was
closed, as minimal queries: each passes the differential check (DuckDB source vs ZetaSQL on the compiled BigQuery
text) and fails it again with the rule that fixed it taken out."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest

from toolkit.sql import rules as rules_module
from toolkit.sql.fuzz.catalog import gold_catalog
from toolkit.sql.fuzz.check import Checker
from toolkit.sql.fuzz.data import fuzz_tables
from toolkit.sql.rules.duckdb_source import date_formatted_with_a_clock, truncated_date_read_as_timestamp

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
]


@pytest.fixture(scope="module")
def checker():
    catalog = gold_catalog()
    checker = Checker(catalog, fuzz_tables(catalog, 20))
    yield checker
    checker.close()


@contextmanager
def without(rule) -> Iterator[None]:
    saved = dict(rules_module.RULES)
    try:
        for key, rules in saved.items():
            rules_module.RULES[key] = tuple(r for r in rules if r is not rule)
        yield
    finally:
        rules_module.RULES.clear()
        rules_module.RULES.update(saved)


@pytest.mark.parametrize(("rule", "sql", "signature"), FOUND)
def test_found_bug_stays_fixed(checker, rule, sql, signature):
    outcome = checker.check_sql(sql)
    assert outcome.status == "pass", (outcome.signature, outcome.message, outcome.compiled_sql)
    with without(rule):
        broken = checker.check_sql(sql)
    assert broken.signature[:2] == signature, (broken.status, broken.message)
