"""How a parity run spends its time: a budget per oracle call, progress as it goes, one lane per engine.

- `Budget`: every oracle call within `timeout` seconds (`bounded.run_bounded`), stopped by the oracle's interrupt.
- `Tracker`: counts finished items and hands `progress(done, total, label)` one call per finished reference and
  KPI x engine (label: what, its status and its seconds), plus notes (`done` unchanged) such as the ZetaSQL compile.
  Lanes call it from their threads, so it serialises them.
- `run_lanes`: one lane per engine, each with its own oracle; on threads when `parallel` (see PARALLEL_LANES).
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, TypeVar

from toolkit.sql.parity.bounded import Outcome, run_bounded

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.sql.parity.oracle import Oracle

Progress = Callable[[int, int, str], None]  # (done, total, label)
T = TypeVar("T")

# Lanes on threads are off: measured in one process on the shipped suite (17 KPIs x 3 engines, 2,000-row sample,
# 2 cores shared with other jobs, load average 8-10, so noisy), three alternating runs each: sequential 28.5 / 15.3 /
# 13.0 s, threads 20.8 / 16.5 / 24.9 s (best 1.27x slower). The oracles are mostly Python (sqlglot inside fakesnow,
# protobuf cell conversion around ZetaSQL), so threads contend for the GIL; `parallel=True` stays for measuring.
PARALLEL_LANES = False

HEARTBEAT_SECONDS = 10.0  # a step with nothing to count says it is still going this often


class Budget:
    def __init__(self, timeout: float | None):
        self.timeout = timeout if timeout and timeout > 0 else None

    def run(self, oracle: "Oracle", sql: str, tables: Mapping[str, "pa.Table"]) -> Outcome:
        return run_bounded(lambda: oracle.run(sql, tables), self.timeout, getattr(oracle, "interrupt", None))

    def past(self, abandoned: bool = False) -> str:
        how = "was left running on a daemon thread (it did not stop when interrupted)" if abandoned else "was stopped"
        return f"ran past the {self.timeout:g} s budget (--timeout) and {how}"


class Tracker:
    def __init__(self, progress: Progress | None, total: int):
        self._progress = progress
        self.total = total
        self.finished = 0
        self._lock = threading.Lock()

    def done(self, label: str, seconds: float) -> None:
        with self._lock:
            self.finished += 1
            if self._progress is not None:
                self._progress(self.finished, self.total, f"{label} ({seconds:.2f} s)")

    def note(self, label: str) -> None:
        with self._lock:
            if self._progress is not None:
                self._progress(self.finished, self.total, label)

    @contextlib.contextmanager
    def ongoing(self, label: str, *, announce: bool = True, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
        """A step with no items to count (reading and sampling the gold data, an oracle's one-off warm-up): say what
        it is (when `announce`), then `still <label> (N s)` every `every` seconds until it ends, so a CI log shows
        life during minutes of work."""
        import time

        if announce:
            self.note(label)
        started = time.perf_counter()
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(every):
                self.note(f"still {label} ({time.perf_counter() - started:.0f} s)")

        thread = threading.Thread(target=beat, name="fedkit-parity-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def finish(self) -> None:
        with self._lock:
            if self._progress is not None:
                self._progress(self.total, self.total, "done")


def run_lanes(engines: list[str], lane: Callable[[str], T], parallel: bool) -> dict[str, T]:
    """{engine: lane(engine)}, the lanes run one after another or on one thread each."""
    if not parallel or len(engines) < 2:
        return {engine: lane(engine) for engine in engines}
    results: dict[str, Any] = {}
    errors: list[BaseException] = []

    def work(engine: str) -> None:
        try:
            results[engine] = lane(engine)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(e,), name=f"fedkit-parity-{e}", daemon=True) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
