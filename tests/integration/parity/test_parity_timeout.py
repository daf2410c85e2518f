"""An oracle that will not stop when interrupted is abandoned, replaced, and the run goes on (issue 14.5)."""

from __future__ import annotations

import threading
import time

from toolkit.config import load_config
from toolkit.sql.parity.oracle_duckdb import DuckDBOracle
from toolkit.sql.parity.runner import run_parity

RELEASE = threading.Event()
CREATED: list["StubbornOracle"] = []


class StubbornOracle(DuckDBOracle):
    """DuckDB, except that a query mentioning `stubborn` blocks and ignores interrupts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CREATED.append(self)

    def run(self, sql, tables):
        if "stubborn" in sql.lower():
            RELEASE.wait(60)
        return super().run(sql, tables)

    def interrupt(self) -> None:  # will not stop
        pass


def test_an_oracle_that_ignores_the_interrupt_is_abandoned_and_replaced(tmp_path, monkeypatch, parity_loaded,
                                                                       parity_catalog, parity_data,
                                                                       parity_config_writer):
    from toolkit.sql.parity import bounded, oracle

    monkeypatch.setitem(oracle.ORACLES, "duckdb", f"{__name__}:StubbornOracle")
    monkeypatch.setattr(bounded, "GRACE_SECONDS", 0.2)
    (tmp_path / "kpi").mkdir()
    (tmp_path / "kpi" / "a.sql").write_text(
        "-- name: a_stubborn\nSELECT COUNT(*) AS stubborn FROM {{ ref('fact_sales') }}\n")
    (tmp_path / "kpi" / "b.sql").write_text("-- name: b_after\nSELECT COUNT(*) AS n FROM {{ ref('fact_sales') }}\n")
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    loaded = load_config(parity_config_writer(tmp_path, gold, [tmp_path / "kpi"]))
    started = time.perf_counter()
    try:
        report = run_parity(loaded, ("duckdb",), 300, catalog=parity_catalog, data=parity_data, timeout=0.5)
    finally:
        RELEASE.set()
    assert time.perf_counter() - started < 20
    stubborn = report.result("a_stubborn", "duckdb")
    assert stubborn.status == "timeout" and "did not stop when interrupted" in stubborn.message
    reference = next(run for run in report.kpis if run.name == "a_stubborn")
    assert reference.timed_out and reference.abandoned and "did not stop" in reference.reference_error
    assert report.result("b_after", "duckdb").status == "pass"  # a fresh oracle took over
    assert len(CREATED) >= 3  # the first, then one after each abandoned query
