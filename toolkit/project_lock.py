"""One `fedkit apply` at a time per project: an exclusive lock on `$FEDKIT_HOME/apply.lock`.

Two applies at once would each plan against the same observed state and both execute it (the Snowflake sandbox's
tables were loaded twice). So apply plans and applies while holding the lock; a second one waits, at most
`FEDKIT_LOCK_WAIT` seconds (default 60), naming the holder, then plans against what the first one left.

How it holds up when a process dies:
- The lock is `flock(LOCK_EX)` on the file, not the file's existence (`O_CREAT|O_EXCL` would outlive a killed
  holder and need guessing). The kernel releases a flock when the holder's descriptor closes, including on
  SIGKILL, so a dead holder never blocks anyone. The descriptor is close-on-exec: child programs do not inherit it.
- The file holds the holder's pid, host, start time and the process's start tick; it is emptied on a clean
  release. A new holder that finds it non-empty knows the last one was killed mid-apply and says so (every apply
  step is idempotent: rerunning converges). If that recorded process still runs on this host (same pid *and*
  same start tick, so a reused pid does not count), the lock is not honoured on this filesystem: it waits instead.
- The file itself is never deleted: unlinking a lock file lets a third process lock a fresh inode while the
  second still holds the old one.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

from toolkit.errors import FedkitError, UsageError

LOCK_NAME = "apply.lock"
DEFAULT_WAIT = 60.0
POLL = 0.2


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    started_at: str  # wall clock, UTC, for people
    start_ticks: str | None = None  # /proc start tick: with the pid, one process (pid reuse guard)
    command: str = "fedkit apply"

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started_at}"

    @classmethod
    def me(cls) -> "Holder":
        from toolkit.sandbox.process import start_ticks

        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return cls(os.getpid(), socket.gethostname(), started, start_ticks(os.getpid()))

    @classmethod
    def parse(cls, text: str) -> "Holder | None":
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["host"]), str(data["started_at"]), data.get("start_ticks"),
                       str(data.get("command", "fedkit apply")))
        except (ValueError, KeyError, TypeError):
            return None

    def still_runs(self) -> bool | None:
        """True/False on this host; None when the holder is on another host (cannot be checked from here)."""
        from toolkit.sandbox.process import pid_alive, start_ticks

        if self.host != socket.gethostname():
            return None
        if not pid_alive(self.pid):
            return False
        # Without a start tick (no /proc here) a live pid may be a reused one: the flock, which we hold, decides.
        now = start_ticks(self.pid)
        return self.start_ticks is not None and now is not None and now == self.start_ticks


class ProjectLocked(FedkitError):
    """Another apply still held the project's lock after the wait: nothing was changed. Exit 1 (the run could not
    happen now, the input is fine): rerun once the other one has finished."""


def lock_file() -> Path:
    from toolkit.sandbox.state import fedkit_home

    return fedkit_home() / LOCK_NAME


def wait_seconds() -> float:
    raw = os.environ.get("FEDKIT_LOCK_WAIT")
    if raw is None or not raw.strip():
        return DEFAULT_WAIT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise UsageError(f"FEDKIT_LOCK_WAIT={raw!r}: expected a number of seconds (0 or more)")
    return value


def _read(fd: int) -> str:
    return os.pread(fd, 65536, 0).decode("utf-8", errors="replace").strip()


def _try_flock(fd: int) -> bool:
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def apply_lock(
    wait: float | None = None,
    say: Callable[[str], None] = lambda message: None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Holder]:
    """Hold the project's apply lock for the block; `say` gets the waiting and take-over messages (one line each).

    Raises ProjectLocked when another holder keeps it longer than `wait` seconds (FEDKIT_LOCK_WAIT by default).
    """
    import fcntl

    wait = wait_seconds() if wait is None else wait
    path = lock_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the apply lock: {exc.strerror or exc} (check FEDKIT_HOME)") from None
    try:
        previous = _acquire(fd, path, wait, say, sleep)
        if previous is not None:
            say(f"took over the apply lock {path} left by {previous}, which ended without releasing it (killed "
                "mid-apply?); the steps it did are kept and this run converges")
        me = Holder.me()
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(asdict(me), sort_keys=True) + "\n").encode(), 0)
        os.fsync(fd)
        try:
            yield me
        finally:
            os.ftruncate(fd, 0)  # empty = released cleanly; a killed holder leaves its record for the next one
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, wait: float, say: Callable[[str], None], sleep: Callable[[float], None]) -> str | None:
    """Wait for the flock; returns who died holding it, as recorded (None: the last holder released it cleanly)."""
    import fcntl

    deadline = time.monotonic() + wait
    announced = None
    while True:
        holder = None
        if _try_flock(fd):
            text = _read(fd)
            if not text:
                return None
            holder = Holder.parse(text)
            if holder is None:
                return "a holder whose record is unreadable"
            if holder.still_runs() is not True:
                return holder.describe()
            fcntl.flock(fd, fcntl.LOCK_UN)  # flock not honoured here, but the recorded holder runs: keep waiting
        else:
            holder = Holder.parse(_read(fd))
        who = holder.describe() if holder is not None else "another process"
        if time.monotonic() >= deadline:
            raise ProjectLocked(
                f"another `fedkit apply` is running on this project ({who}) and still held {path} after {wait:g} s; "
                "nothing was changed: rerun when it has finished (FEDKIT_LOCK_WAIT sets the wait)"
            )
        if announced != who:
            say(f"another `fedkit apply` is running on this project ({who}); waiting up to {wait:g} s for it")
            announced = who
        sleep(min(POLL, max(0.0, deadline - time.monotonic())))
