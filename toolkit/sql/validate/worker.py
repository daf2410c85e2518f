"""Offline checkers in a process of their own: built in `fedkit validate`'s process, run in one child process.

Why: the Snowflake check is Python (sqlglot's qualifier, fakesnow's transforms) plus a one-off ~0.5 s import of
fakesnow (which imports snowflake-connector, boto3, numpy...). In a thread it holds the GIL against compiling and the
other engines' lanes; in a child process it runs on the other core, and its imports overlap the parent's ZetaSQL
start-up. An engine's traits say whether its check goes here (`validates_in_worker`).

Protocol: pickles over the child's own stdin/stdout pipes; requests are answered in order, so a lane sends a check and
goes on while a thread here collects the replies. The child never holds the parent's stdin, stdout or stderr (a caller
reading fedkit's output through pipes sees EOF when fedkit exits); its stderr goes to a temporary file whose last line
explains a crash in the parent's one-line error. Errors are values: the child answers with the exception, which the
parent raises as its own (the same error a check in this process would raise).
Lifetime: the child ignores Ctrl-C (the terminal sends it to both processes: the parent decides and closes the child),
stops at EOF on its stdin (the parent closed or died), and on Linux is killed by the kernel when the thread that started
it ends (PR_SET_PDEATHSIG: fedkit's main thread, which runs the whole validation), even in the middle of its imports.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

from toolkit.errors import CheckFailed, UsageError

# The child's first lines run before anything is imported: a Ctrl-C during its start-up must not print a traceback.
_CHILD = ("import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
          "import sys\n"
          "root = sys.argv[1]\n"
          "sys.path.insert(0, root) if root not in sys.path else None\n"
          "from toolkit.sql.validate.worker import serve\n"
          "serve(int(sys.argv[2]), sys.argv[3:])\n")
_GRACE_S = 1.0  # how long `close` waits for the child to exit on its own before killing it


class WorkerProcess:
    """The parent's handle on the child: `setup` sends it the checkers and returns what stands for them here.

    A thread here reads the replies as they come, so a lane can send a check and go on (`submit`); the answer is
    picked up later (`Ticket.value`)."""

    is_process = True  # FileValidator.close stops it before the lanes' threads (a lane may be waiting on it)

    def __init__(self, preload: tuple[str, ...] = ()):
        """Starts the child at once: it imports the `preload` modules while this process builds the checkers."""
        import subprocess
        import tempfile

        import toolkit

        self.keys: tuple[str, ...] = ()
        self._send_lock = threading.Lock()
        self._replies: dict[int, Any] = {}
        self._arrived = threading.Condition()
        self._sent = 0
        self._ended = False  # the reader saw EOF: no more replies
        self._closed = False
        self._error: CheckFailed | None = None
        self._stderr = tempfile.TemporaryFile()
        root = str(Path(toolkit.__file__).resolve().parent.parent)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD, root, str(os.getpid()), *preload],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, close_fds=True,
        )
        import weakref

        self._finalizer = weakref.finalize(self, _kill, self._proc)  # never outlives the parent's interpreter
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in: BinaryIO = self._proc.stdin
        self._out: BinaryIO = self._proc.stdout
        self._reader = threading.Thread(target=self._read, name="fedkit-validate-worker-replies", daemon=True)
        self._reader.start()

    def setup(self, checkers: dict[str, Any]) -> dict[str, "RemoteChecker"]:
        """Sends the checkers (pickled as built here); the child warms them (imports, empty tables) while we go on.
        Returns what stands for each of them here."""
        self.keys = tuple(checkers)
        with self._send_lock:
            # pickled twice: a checker the child cannot rebuild is an error it answers with, not a crash
            self._send(("setup", pickle.dumps(checkers, protocol=pickle.HIGHEST_PROTOCOL)))
        return {key: RemoteChecker(self, key) for key in checkers}

    def submit(self, key: str, method: str, *args: Any) -> "Ticket":
        with self._send_lock:
            if self._closed:
                raise CheckFailed("validate: the worker process was already stopped")
            self._send((method, key, args))
            self._sent += 1
            return Ticket(self, self._sent)

    def ready(self, number: int) -> bool:
        with self._arrived:
            return number in self._replies or self._ended

    def reply(self, number: int) -> tuple[Any, float]:
        """(value, seconds the child spent) of request `number`, waiting for it; the child's error raised here."""
        with self._arrived:
            while number not in self._replies and not self._ended:
                self._arrived.wait()
            reply = self._replies.pop(number, None)
        if reply is None:
            raise self._gone()
        kind, value, seconds = reply
        if kind == "ok":
            return value, seconds
        raise _exception(value)

    def close(self) -> None:
        """EOF to the child (it closes its checkers and exits), then a kill if it has not exited within a second."""
        with self._send_lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._in.close()
        except OSError:
            pass
        import subprocess

        try:
            self._proc.wait(timeout=_GRACE_S)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=_GRACE_S)
        self._stderr.close()
        self._finalizer.detach()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def _read(self) -> None:
        number = 0
        try:
            while True:
                reply = pickle.load(self._out)
                number += 1
                with self._arrived:
                    self._replies[number] = reply
                    self._arrived.notify_all()
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            pass
        finally:
            with self._arrived:
                self._ended = True
                self._arrived.notify_all()

    def _send(self, message: Any) -> None:
        try:
            pickle.dump(message, self._in, protocol=pickle.HIGHEST_PROTOCOL)
            self._in.flush()
        except (OSError, ValueError):
            raise self._gone() from None

    def _gone(self) -> CheckFailed:
        """The child stopped without answering: a one-line error naming how it ended and its last words."""
        if self._error is not None:
            return self._error
        import signal
        import subprocess

        try:
            code = self._proc.wait(timeout=_GRACE_S)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            code = self._proc.wait()
        how = f"exit code {code}"
        if code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        last = ""
        try:
            self._stderr.seek(0)
            lines = [line.strip() for line in self._stderr.read().decode("utf-8", "replace").splitlines()]
            last = next((line for line in reversed(lines) if line), "")
        except (OSError, ValueError):
            pass
        words = f": {last}" if last else ""
        self._error = CheckFailed(f"validate: the worker process checking {', '.join(self.keys)} stopped ({how})"
                                  f"{words}; `fedkit validate --jobs 1` checks everything in one process")
        return self._error


class Ticket:
    """A request sent to the worker: `ready()` without waiting, `value()` waits (the child's error raised here)."""

    def __init__(self, worker: WorkerProcess, number: int):
        self.worker = worker
        self.number = number

    def ready(self) -> bool:
        return self.worker.ready(self.number)

    def value(self) -> tuple[Any, float]:
        return self.worker.reply(self.number)


class RemoteChecker:
    """One engine's offline checker in the child, behind the checker interface (`check(sql)`, `close()`), plus
    `submit(sql)`, which sends the check and returns at once (FileValidator picks the answer up later)."""

    def __init__(self, worker: WorkerProcess, key: str):
        self.worker = worker
        self.key = key

    def submit(self, sql: str) -> Ticket:
        return self.worker.submit(self.key, "check", sql)

    def check(self, sql: str) -> Any:
        return self.submit(sql).value()[0]

    def close(self) -> None:
        """The worker process closes the checker when it stops (FileValidator.close stops it)."""


def _kill(proc: Any) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _exception(value: tuple[bytes | None, str]) -> BaseException:
    """The child's exception as the parent raises it: the same exception when it survives pickling (an error is the
    same error in either process), else a one-line CheckFailed naming it."""
    data, described = value
    if data is not None:
        try:
            exc = pickle.loads(data)
            if isinstance(exc, BaseException):
                return exc
        except Exception:  # noqa: BLE001 - an exception class the parent cannot rebuild
            pass
    return CheckFailed(f"validate: the worker process failed: {described}")


# -- when ---------------------------------------------------------------------------------------------------------------
# The worker process costs ~0.3 CPU-s more in all (a second interpreter, sqlglot and DuckDB imported twice) and takes
# ~0.75 CPU-s to start (fakesnow's import, empty tables), while it moves ~0.45 s of import and ~8 ms a file off this
# process: from about 10 files (this process's own work, ~40 ms a file after ~0.65 s of start-up, then outlasts the
# worker's start-up) it is hidden; below, one file measured slower with it on this shared 2-core machine
# (`python -m bench validate` notes, issue 13).
OFFLOAD_MIN_FILES = 10


def offload(files: int, jobs: int | None, online: object) -> bool:
    """Whether a one-process run checks the engines that `validates_in_worker` in a worker process (FileValidator):
    from OFFLOAD_MIN_FILES files, offline (online checks use this process's credentials and clients), unless `--jobs 1`
    asks for one process, and only while the machine is not saturated (1-minute load average below the cores): the
    worker costs more CPU in all and pays only by running beside this process (measured, 23 files x 3 engines:
    1.15 s instead of 1.60 s at load 1.9 on 2 cores, 19 % slower sharing a machine at load 10). FEDKIT_VALIDATE_WORKER=1 / 0 forces it on / off (benchmarks, tests)."""
    import sys

    forced = os.environ.get("FEDKIT_VALIDATE_WORKER", "")
    if forced not in ("", "0", "1"):
        raise UsageError(f"FEDKIT_VALIDATE_WORKER={forced!r}: use 1 (a worker process) or 0 (none); unset: by load")
    if forced == "0" or jobs == 1 or online is not None or not sys.executable or files < OFFLOAD_MIN_FILES:
        return False
    return forced == "1" or _free_cores() > 0


def _free_cores() -> float:
    """Cores minus the 1-minute load average (all cores where the platform has no load average)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        return cores - os.getloadavg()[0]
    except (AttributeError, OSError):
        return float(cores)


def preload_in_background(engines: tuple[str, ...]) -> None:
    """Without a worker process, the modules it would have imported (fakesnow's ~0.5 s) are imported on a thread now,
    beside this process's own start-up (ZetaSQL's module load runs in WASM, outside the GIL), not at the first check."""
    import importlib
    import threading

    from toolkit.engines.registry import traits

    modules = [m for e in engines for m in traits(e).worker_preload]

    def load() -> None:
        for module in modules:
            try:
                importlib.import_module(module)
            except Exception:  # noqa: BLE001 - the check that needs it reports the failure itself
                pass

    if modules:
        threading.Thread(target=load, name="fedkit-validate-preload", daemon=True).start()


# -- the child ---------------------------------------------------------------------------------------------------------
def serve(parent: int, preload: list[str]) -> None:
    """The child's loop: `preload` imported, `setup` (the pickled checkers, warmed at once), then requests until EOF."""
    _die_with(parent)
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print from a library (even while imported) must not corrupt the replies
    sys.stdout = sys.stderr
    import importlib

    for module in preload:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a checker that needs it fails on its own, with its own message
            pass
    checkers: dict[str, Any] = {}
    failed: BaseException | None = None
    try:
        while True:
            try:
                message = pickle.load(requests)
            except (EOFError, OSError):
                return
            if message[0] == "setup":
                try:
                    checkers = pickle.loads(message[1])
                    for checker in checkers.values():
                        warm = getattr(checker, "warm", None)
                        if warm is not None:
                            warm()
                except Exception as exc:  # noqa: BLE001 - said in the reply to the first request
                    failed = exc
                continue
            method, key, args = message
            started = time.perf_counter()
            try:
                if failed is not None:
                    raise failed
                reply: tuple[str, Any, float] = ("ok", getattr(checkers[key], method)(*args), 0.0)
            except Exception as exc:  # noqa: BLE001 - errors are values until the parent's CLI edge
                reply = ("raised", (_pickled(exc), _described(exc)), 0.0)
            reply = (reply[0], reply[1], time.perf_counter() - started)
            pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
            replies.flush()
    finally:
        for checker in checkers.values():
            try:
                checker.close()
            except Exception:  # noqa: BLE001 - stopping anyway
                pass
        try:
            replies.close()
        except OSError:
            pass
        # no interpreter teardown (~0.7 s of module finalisation measured with fakesnow's imports loaded): the parent
        # waits for this exit, and nothing here is left to flush
        os._exit(0)


def _pickled(exc: BaseException) -> bytes | None:
    try:
        data = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 - not every exception survives pickling
        return None


def _described(exc: BaseException) -> str:
    detail = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this process when the parent dies (PR_SET_PDEATHSIG), even mid-import; elsewhere EOF on
    stdin stops it at the next request."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(0)
