"""A KPI that returns no rows (or only NULLs) on the sample is reported `empty` with the reason, not `pass`."""

from __future__ import annotations

import pytest

from toolkit.config import load_config
from toolkit.sql.parity.runner import run_parity

NO_MATCHING_KEYS = """-- name: no_matching_keys
SELECT p.provider, SUM(f.amount) AS revenue
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_payment') }} AS p ON p.payment_method = f.channel
GROUP BY p.provider
"""
FILTER_MATCHES_NOTHING = """-- name: filter_matches_nothing
SELECT channel, COUNT(*) AS n FROM {{ ref('fact_sales') }} WHERE quantity < 0 GROUP BY channel
"""
ONLY_NULLS = """-- name: only_nulls
SELECT SUM(amount) AS total FROM {{ ref('fact_sales') }} WHERE quantity < 0
"""
REAL = """-- name: real
SELECT channel, COUNT(*) AS n FROM {{ ref('fact_sales') }} GROUP BY channel
"""


@pytest.fixture(scope="module")
def empty_report(tmp_path_factory, parity_loaded, parity_catalog, parity_data, parity_config_writer):
    folder = tmp_path_factory.mktemp("empty")
    (folder / "kpi").mkdir()
    for name, text in {"a": NO_MATCHING_KEYS, "b": FILTER_MATCHES_NOTHING, "c": ONLY_NULLS, "d": REAL}.items():
        (folder / "kpi" / f"{name}.sql").write_text(text)
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    loaded = load_config(parity_config_writer(folder, gold, [folder / "kpi"]))
    return run_parity(loaded, ("bigquery", "snowflake", "duckdb"), 400, catalog=parity_catalog, data=parity_data)


def _statuses(report, kpi):
    return {r.engine: r for r in report.results if r.kpi == kpi}


def test_join_keys_that_match_nothing_are_empty_with_the_reason(empty_report):
    for engine, result in _statuses(empty_report, "no_matching_keys").items():
        assert result.status == "empty", (engine, result.status, result.message)
        assert "0 rows on every engine" in result.message
        assert "join" in result.message and "no matching sample rows" in result.message
    assert not empty_report.ok and empty_report.passes(allow_empty=True)


def test_a_filter_that_matches_nothing_is_empty_and_says_so(empty_report):
    for result in _statuses(empty_report, "filter_matches_nothing").values():
        assert result.status == "empty" and "WHERE" in result.message and "sample rows" in result.message


def test_only_nulls_is_empty(empty_report):
    for result in _statuses(empty_report, "only_nulls").values():
        assert result.status == "empty" and "only NULLs" in result.message


def test_a_kpi_with_rows_still_passes_and_empty_is_counted(empty_report):
    assert {r.status for r in _statuses(empty_report, "real").values()} == {"pass"}
    assert empty_report.counts()["empty"] == 9
    assert empty_report.to_json()["results"][0]["status"] in ("empty", "pass")
