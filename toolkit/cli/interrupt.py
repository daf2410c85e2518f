"""Ctrl-C during a run that changes clouds: finish the running call, then stop at the next step boundary.

A KeyboardInterrupt raised in the middle of a cloud call would leave its outcome unknown (sent, maybe applied, the
answer never read); so the first Ctrl-C only asks the pipeline to stop (`threading.Event`), and a second one aborts
at once, as people expect from a second Ctrl-C.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator


@contextmanager
def stop_on_ctrl_c(stop: threading.Event, notice: Callable[[], None] | None = None) -> Iterator[None]:
    """While inside, SIGINT sets `stop` (and calls `notice`); a second SIGINT raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread; elsewhere Ctrl-C keeps its default
        return

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if notice is not None:
            notice()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
