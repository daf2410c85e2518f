"""Long work talks: one progress helper for every step that can take more than a couple of seconds.

In a terminal it is a rich progress line on stderr (spinner, bar when the total is known, elapsed time), gone when
the step ends. Outside one (CI logs, a pipe) it is plain lines on stderr: nothing for a step that ends within
FEDKIT_PROGRESS_AFTER seconds (default 2), then one line every FEDKIT_PROGRESS_EVERY seconds (default 10) and a last
`done` line,
so a CI log shows a slow step is alive without a line per item. In `--output json` mode those lines are JSON objects
(`{"progress": {"step", "done", "total", "seconds"}}`), so stderr stays JSON lines.

Usage (any command; `kpi parity` can adopt it the same way):

    with step("publishing gold", total=None, unit="bytes") as work:
        publish(..., progress=lambda done, total: work.advance(done, total=total))
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from typing import Any, Iterator, Optional

DEFAULT_EVERY = 10.0
DEFAULT_QUIET_FOR = 2.0


def _seconds(name: str, default: float, zero_ok: bool) -> float:
    """A number of seconds from the environment; a bad value stops the command (exit 2), never a silent default."""
    from toolkit.errors import UsageError

    text = os.environ.get(name, "")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value >= 0 if zero_ok else value > 0):
        raise UsageError(f"{name}={text!r}: expected a number of seconds {'from 0' if zero_ok else 'above 0'}")
    return value


class Step:
    """What a running step reports: `advance(n)` items (or bytes) done, `total=` when it becomes known."""

    def __init__(self, label: str, total: Optional[float], unit: str):
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0.0
        self.detail = ""
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def advance(self, amount: float = 1, total: Optional[float] = None, detail: str = "") -> None:
        self.done += amount
        if total is not None:
            self.total = total
        if detail:
            self.detail = detail
        if self._bar is not None:
            description = f"{self.label}: {detail}" if detail else self.label
            self._bar.update(self._task, completed=self.done, total=self.total, description=description)

    def line(self, final: bool = False) -> str:
        seconds = time.monotonic() - self.started
        if final:
            return f"{self.label}: done in {seconds:.0f} s"
        count = _amount(self.done, self.unit)
        if self.total:  # the unit once, after the total: "3 of 17 KPIs" (bytes keep theirs: "1.2 MiB of 3.0 MiB")
            count = f"{_amount(self.done, self.unit if self.unit == 'bytes' else '')} of {_amount(self.total, self.unit)}"
        where = f", {self.detail}" if self.detail else ""
        return f"{self.label}: {count}{where} ({seconds:.0f} s)" if self.done or self.total else \
            f"{self.label}… ({seconds:.0f} s)"

    def record(self) -> dict[str, Any]:
        return {"step": self.label, "done": self.done, "total": self.total,
                "seconds": round(time.monotonic() - self.started, 1)}


def _amount(value: float, unit: str) -> str:
    if unit == "bytes":
        size = float(value)
        for name in ("B", "KiB", "MiB", "GiB"):
            if size < 1024 or name == "GiB":
                return f"{size:.0f} {name}" if name == "B" else f"{size:.1f} {name}"
            size /= 1024
    number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{number} {unit}".rstrip()


@contextlib.contextmanager
def step(label: str, total: Optional[float] = None, *, unit: str = "", console: Any = None,
         quiet_for: Optional[float] = None, every: Optional[float] = None) -> Iterator[Step]:
    """Report a step's progress on stderr while the `with` body runs (see the module docstring)."""
    from toolkit.cli.common import err_console

    out = console if console is not None else err_console()
    work = Step(label, total, unit)
    if out.is_terminal:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=out, transient=True) as bar:
            work._bar, work._task = bar, bar.add_task(label, total=total)
            yield work
        return
    interval = every if every is not None else _seconds("FEDKIT_PROGRESS_EVERY", DEFAULT_EVERY, zero_ok=False)
    quiet_for = quiet_for if quiet_for is not None else _seconds("FEDKIT_PROGRESS_AFTER", DEFAULT_QUIET_FOR, zero_ok=True)
    stop = threading.Event()
    spoke = threading.Event()

    def talk() -> None:
        if stop.wait(quiet_for):
            return
        while True:
            _say(work, final=False)
            spoke.set()
            if stop.wait(interval):
                return

    thread = threading.Thread(target=talk, name=f"fedkit-progress-{label}", daemon=True)
    thread.start()
    try:
        yield work
    finally:
        stop.set()
        thread.join()
        if spoke.is_set():
            _say(work, final=True)


def _say(work: Step, final: bool) -> None:
    from toolkit.cli import common

    if common.JSON_ERRORS:
        import json

        line = json.dumps({"progress": {**work.record(), "state": "done" if final else "running"}})
    else:
        line = f"fedkit: {work.line(final)}"
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
