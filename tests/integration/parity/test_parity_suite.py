"""The whole KPI suite on the three oracles over one key-consistent sample: every KPI x engine passes."""

from __future__ import annotations

import pytest

from toolkit.sql.parity.runner import PARITY_ENGINES, run_parity

SAMPLE_ROWS = 600


@pytest.fixture(scope="module")
def suite_report(parity_loaded, parity_catalog, parity_data):
    seen: list[tuple[int, int, str]] = []
    report = run_parity(parity_loaded, PARITY_ENGINES, SAMPLE_ROWS, catalog=parity_catalog, data=parity_data,
                        progress=lambda done, total, label: seen.append((done, total, label)))
    report.progress_seen = seen  # type: ignore[attr-defined]
    return report


def test_every_kpi_passes_on_every_engine(suite_report):
    assert len(suite_report.kpis) >= 17
    failures = [f"{r.kpi} on {r.engine}: {r.status}: {r.message}" for r in suite_report.results if r.status != "pass"]
    assert not failures, "\n".join(failures)
    assert len(suite_report.results) == len(suite_report.kpis) * 3
    assert suite_report.ok


def test_the_comparison_had_rows_to_compare(suite_report):
    for run in suite_report.kpis:
        assert run.reference is not None and run.reference.num_rows > 0, run.name
        for engine in PARITY_ENGINES:
            result = suite_report.result(run.name, engine)
            assert result.rows == run.reference.num_rows and result.sql


def test_the_sample_is_a_sample(suite_report):
    assert "sampled by order_id" in suite_report.sample and "fact_sales " in suite_report.sample
    import re

    kept, total = map(int, re.search(r"fact_sales (\d+)/(\d+)", suite_report.sample).groups())
    assert 0 < kept <= SAMPLE_ROWS < total


def test_report_states_reference_and_independence(suite_report):
    notes = "\n".join(suite_report.notes())
    assert "source SQL as written" in notes
    assert "snowflake: " in notes and "NOT independent" in notes and "sqlglot" in notes
    assert "bigquery: " in notes and "ZetaSQL" in notes


def test_json_shape_is_stable(suite_report):
    data = suite_report.to_json()
    assert list(data) == ["results", "keys"]
    for key in data["keys"]:  # the join keys the sample kept, and where each came from
        assert list(key) == ["from", "to", "kind", "source"] and key["source"] in ("query", "config", "containment")
    for row in data["results"]:
        assert list(row) == ["kpi", "engine", "status", "rows", "message"]
        assert row["status"] in ("pass", "mismatch", "error")


def test_progress_reaches_the_total(suite_report):
    seen = suite_report.progress_seen
    assert seen[-1][0] == seen[-1][1] == len(suite_report.kpis) * 4
