"""The project's apply lock: one holder at a time, a bounded wait naming the holder, stale records taken over."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from toolkit.errors import UsageError
from toolkit.project_lock import ProjectLocked, apply_lock, lock_file
from toolkit.sandbox.process import start_ticks

HOLD = "import time; from toolkit.project_lock import apply_lock\nwith apply_lock():\n    print('held', flush=True); time.sleep(60)"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FEDKIT_LOCK_WAIT", raising=False)
    return tmp_path / "home"


@pytest.fixture
def holder(home: Path) -> Iterator[subprocess.Popen]:
    """Another process holding the lock (as a running `fedkit apply` would)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_a_second_holder_waits_a_bounded_time_naming_the_first(holder: subprocess.Popen) -> None:
    said: list[str] = []
    with pytest.raises(ProjectLocked) as caught:
        with apply_lock(wait=0.5, say=said.append):
            pytest.fail("the lock was taken while another process held it")
    assert f"pid {holder.pid} on " in str(caught.value) and "nothing was changed" in str(caught.value)
    assert caught.value.exit_code == 1 and "\n" not in str(caught.value)
    assert said == [said[0]] and f"pid {holder.pid}" in said[0] and "waiting up to 0.5 s" in said[0]


def test_a_killed_holder_never_blocks_and_its_record_is_reported(holder: subprocess.Popen) -> None:
    holder.send_signal(signal.SIGKILL)  # no clean release: the record stays, the kernel drops the flock
    holder.wait()
    assert json.loads(lock_file().read_text())["pid"] == holder.pid
    said: list[str] = []
    with apply_lock(wait=5, say=said.append) as me:
        assert me.pid == os.getpid()
        assert json.loads(lock_file().read_text())["pid"] == os.getpid()
    assert len(said) == 1 and f"left by pid {holder.pid}" in said[0] and "ended without releasing it" in said[0]
    assert lock_file().read_text() == ""  # released cleanly


def test_a_reused_pid_does_not_keep_a_stale_record_alive(home: Path) -> None:
    home.mkdir(parents=True)
    # This very pid is alive, but it is not the process that started at tick 1: the record is stale.
    lock_file().write_text(json.dumps({"pid": os.getpid(), "host": os.uname().nodename, "started_at": "then",
                                       "start_ticks": "1"}))
    said: list[str] = []
    with apply_lock(wait=0, say=said.append):
        pass
    assert len(said) == 1 and "took over" in said[0]


def test_a_record_naming_a_live_process_is_honoured_even_without_flock(home: Path) -> None:
    """The recorded holder still runs (same pid and start tick) though the flock is free (a filesystem that does not
    honour flock): wait, do not run alongside it."""
    import socket

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        home.mkdir(parents=True)
        lock_file().write_text(json.dumps({"pid": sleeper.pid, "host": socket.gethostname(), "started_at": "now",
                                           "start_ticks": start_ticks(sleeper.pid)}))
        with pytest.raises(ProjectLocked, match=f"pid {sleeper.pid} "):
            with apply_lock(wait=0.3):
                pass
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_clean_release_says_nothing_next_time(home: Path) -> None:
    said: list[str] = []
    for _ in range(2):
        with apply_lock(wait=0, say=said.append):
            pass
    assert said == []


def test_a_bad_wait_setting_is_a_usage_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_LOCK_WAIT", "soon")
    with pytest.raises(UsageError, match="FEDKIT_LOCK_WAIT='soon'"):
        with apply_lock():
            pass
