"""Run one oracle call within a time budget, and stop it when it runs past.

The call runs on a daemon worker thread. Past the budget the oracle's `interrupt()` is called (DuckDB and fakesnow:
the DuckDB connection's `interrupt()`; ZetaSQL: a wasmtime epoch trap), then the call gets `GRACE_SECONDS` to
unwind. One that still has not returned is abandoned: its thread is a daemon, so it never holds the process at exit,
and the caller must not use that oracle again (`Outcome.abandoned`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    abandoned: bool = False  # past the budget and did not stop when interrupted
    seconds: float = 0.0


def run_bounded(call: Callable[[], Any], timeout: float | None, interrupt: Callable[[], None] | None = None,
                grace: float | None = None) -> Outcome:
    """`call()` within `timeout` seconds (None: no budget, run inline)."""
    started = time.perf_counter()
    if timeout is None:
        try:
            return Outcome(value=call(), seconds=time.perf_counter() - started)
        except Exception as exc:  # the caller turns it into a result, as for a bounded call
            return Outcome(error=exc, seconds=time.perf_counter() - started)
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=work, name="fedkit-parity-oracle", daemon=True)
    worker.start()
    if done.wait(timeout):
        return Outcome(box.get("value"), box.get("error"), seconds=time.perf_counter() - started)
    if interrupt is not None:
        try:
            interrupt()
        except Exception:  # an interrupt is best effort: abandoning the thread is the fallback
            pass
    stopped = done.wait(GRACE_SECONDS if grace is None else grace)
    return Outcome(timed_out=True, abandoned=not stopped, seconds=time.perf_counter() - started)
