"""Detached server processes: start them, recognise them again (pid reuse), stop them. No fedkit policy here."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

LOOPBACK = "127.0.0.1"


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    """True when something already listens on host:port (or the port cannot be bound at all)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def start_detached(argv: Sequence[str], log_path: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> int:
    """Start `argv` in its own session (it survives this CLI and Ctrl-C), stdout+stderr to `log_path`; returns the pid."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} start: {' '.join(argv)}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(cwd) if cwd else None,
            start_new_session=True,
            close_fds=True,
        )
    # Forget the Popen object without waiting on it: the process belongs to its own session from now on.
    # (Popen.__del__ would otherwise warn about a child still running.)
    proc.returncode = 0
    _children[proc.pid] = proc
    return proc.pid


# Children started by this process, so `exit_status` can reap them (no zombies while we wait for health).
_children: dict[int, subprocess.Popen] = {}


def exit_status(pid: int) -> int | None:
    """The exit code of a child we started when it has exited, else None (still running or not our child)."""
    if pid not in _children:
        return None
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    if done == 0:
        return None
    _children.pop(pid, None)
    return os.waitstatus_to_exitcode(status)


def pid_alive(pid: int | None) -> bool:
    """True when a process with this pid exists (zombies of our own children count as gone)."""
    if not pid or pid <= 0:
        return False
    if pid in _children:
        exit_status(pid)
        if pid not in _children:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _proc_state(pid) != "Z"


def _proc_state(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "pid (comm) S ..." - comm may hold spaces or parentheses, so split after the last ')'.
    rest = text.rsplit(")", 1)[-1].split()
    return rest[0] if rest else None


def start_ticks(pid: int) -> str | None:
    """When the process started (clock ticks since boot, /proc/PID/stat field 22), None where there is no /proc.

    A pid alone is reused by the system; (pid, start) names one process for as long as the machine runs.
    """
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[-1].split()  # fields from the 3rd on: comm may hold spaces or parentheses
    return fields[19] if len(fields) > 19 else None


def cmdline(pid: int) -> str | None:
    """The command line of a running process, or None when it cannot be read (gone, or not permitted)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return raw.replace(b"\0", b" ").decode(errors="replace").strip() or None
    except FileNotFoundError:
        if sys.platform.startswith("linux"):
            return None
    except OSError:
        return None
    try:  # macOS and other systems without /proc
        out = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def is_our_process(pid: int | None, markers: Sequence[str]) -> bool:
    """True when `pid` runs and its command line contains every marker (guards against pid reuse)."""
    if not pid_alive(pid):
        return False
    line = cmdline(int(pid))  # type: ignore[arg-type]
    return line is not None and all(marker in line for marker in markers)


def stop(pid: int, timeout: float = 10.0) -> str:
    """SIGTERM, wait up to `timeout` seconds, then SIGKILL. Returns 'terminated', 'killed' or 'gone'."""
    if not pid_alive(pid):
        return "gone"
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return "gone"
    if _wait_gone(pid, timeout):
        return "terminated"
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return "terminated"
    _wait_gone(pid, 5.0)
    return "killed"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return not pid_alive(pid)


def log_tail(path: Path, lines: int = 1) -> str:
    """The last non-empty lines of a log file ('' when missing), for one-line error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    kept = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("--- ")]
    return " | ".join(kept[-lines:])
