"""A time budget per oracle call (issue 14.5): stopped by the oracle's interrupt, abandoned when it will not stop."""

from __future__ import annotations

import io
import threading
import time

from toolkit.sql.parity.bounded import run_bounded


def test_a_call_within_the_budget_returns_its_value_or_error():
    assert run_bounded(lambda: 42, 5).value == 42
    outcome = run_bounded(lambda: 1 / 0, 5)
    assert isinstance(outcome.error, ZeroDivisionError) and not outcome.timed_out


def test_a_call_past_the_budget_is_interrupted_and_reported():
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            time.sleep(0.01)
        raise RuntimeError("interrupted")

    started = time.perf_counter()
    outcome = run_bounded(loop, 0.2, interrupt=stop.set)
    assert outcome.timed_out and not outcome.abandoned
    assert time.perf_counter() - started < 2


def test_a_call_that_ignores_the_interrupt_is_abandoned_promptly():
    release = threading.Event()
    started = time.perf_counter()
    outcome = run_bounded(lambda: release.wait(30), 0.1, interrupt=lambda: None, grace=0.2)
    assert outcome.timed_out and outcome.abandoned
    assert time.perf_counter() - started < 2
    release.set()


def test_progress_outside_a_terminal_is_one_plain_line_per_item():
    from rich.console import Console

    from toolkit.sql.parity.render import parity_progress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False)
    with parity_progress(console) as progress:
        progress(1, 4, "revenue reference (duckdb): ok (0.01 s)")
        progress(2, 4, "revenue bigquery: pass (0.42 s)")
        progress(4, 4, "done")
    assert buffer.getvalue().splitlines() == [
        "parity [1/4] revenue reference (duckdb): ok (0.01 s)",
        "parity [2/4] revenue bigquery: pass (0.42 s)",
    ]


def test_a_cold_zetasql_compile_is_announced_once_with_its_estimate(monkeypatch):
    from toolkit.sql import zetasql_wasm
    from toolkit.sql.parity import runner
    from toolkit.sql.parity.lanes import Tracker
    from toolkit.sql.zetasql_service import ZetaSQL

    seen: list[str] = []
    monkeypatch.setattr(ZetaSQL, "_instance", None)
    monkeypatch.setattr(ZetaSQL, "get", classmethod(lambda cls: None))
    monkeypatch.setattr(zetasql_wasm, "compile_needed", lambda: 33.0)
    runner._announce_compile({"bigquery": object()}, Tracker(lambda d, t, label: seen.append(label), 3))
    assert len(seen) == 2 and "compiling ZetaSQL's WASM module once (roughly 33 s" in seen[0]
    assert seen[1].startswith("ZetaSQL compiled in ")
    seen.clear()
    monkeypatch.setattr(zetasql_wasm, "compile_needed", lambda: None)  # cached: silent
    runner._announce_compile({"bigquery": object()}, Tracker(lambda d, t, label: seen.append(label), 3))
    runner._announce_compile({"duckdb": object()}, Tracker(lambda d, t, label: seen.append(label), 3))
    assert seen == []


def test_lanes_give_the_same_results_on_threads_or_not():
    from toolkit.sql.parity.lanes import run_lanes

    def lane(engine: str) -> list[str]:
        time.sleep(0.01)
        return [f"{engine}-{i}" for i in range(3)]

    engines = ["bigquery", "snowflake", "duckdb"]
    assert run_lanes(engines, lane, parallel=False) == run_lanes(engines, lane, parallel=True)
    assert run_lanes(engines, lane, parallel=True)["duckdb"] == ["duckdb-0", "duckdb-1", "duckdb-2"]


def test_the_budget_message_says_whether_the_query_stopped():
    from toolkit.sql.parity.lanes import Budget

    assert Budget(60).past() == "ran past the 60 s budget (--timeout) and was stopped"
    assert "did not stop when interrupted" in Budget(1.5).past(abandoned=True)
    assert Budget(0).timeout is None  # --timeout 0: no budget
