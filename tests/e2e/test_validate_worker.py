"""`fedkit validate`'s worker process (the Snowflake check, toolkit.sql.validate.worker) as a user meets it: an error
or a crash in it is one line and exit 1, Ctrl-C ends both processes (exit 130), the worker never outlives fedkit, and
fedkit's own stdin/stdout may be pipes (a caller reading them sees EOF when fedkit exits)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from toolkit.engines.traits.snowflake import SnowflakeTraits

REPO = Path(__file__).resolve().parents[2]
KPIS = REPO / "sql" / "kpi"
ENGINES = "bigquery,snowflake,duckdb"


@pytest.fixture(scope="module")
def config(local_gold_project) -> Path:
    return local_gold_project("validate_worker_e2e", orders=50)


def _children(pid: int) -> list[int]:
    """Live child processes of `pid` (Linux /proc; a zombie has already ended)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def _fedkit(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "FEDKIT_VALIDATE_CACHE": "0", "FEDKIT_VALIDATE_WORKER": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-c", "from toolkit.cli import main; main()", *args], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _worker_of(process: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = _children(process.pid)
        if children:
            return children[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError("fedkit validate started no worker process")


def _gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not _alive(pid)


def test_an_error_in_the_worker_is_one_line_and_leaves_no_process(cli, config, monkeypatch):
    # a checker the child runs as it is sent: `int(sql)` raises ValueError there, as a bug in a checker would
    monkeypatch.setattr(SnowflakeTraits, "offline_checker", lambda self, validator: SimpleNamespace(check=int))
    monkeypatch.setenv("FEDKIT_VALIDATE_CACHE", "0")
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "1")  # whatever the machine's load
    before = set(_children(os.getpid()))  # a session's servers may run as processes
    result = cli("validate", "--config", str(config), str(KPIS), "--engines", ENGINES)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "ValueError: invalid literal for int()" in errors[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert set(_children(os.getpid())) <= before  # the worker process is gone


def test_a_worker_that_dies_is_one_line_naming_how(cli, config, monkeypatch):
    # the child aborts while warming up (as a crash in a native library would)
    monkeypatch.setattr(SnowflakeTraits, "offline_checker",
                        lambda self, validator: SimpleNamespace(check=str, warm=os.abort))
    monkeypatch.setenv("FEDKIT_VALIDATE_CACHE", "0")
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "1")  # whatever the machine's load
    before = set(_children(os.getpid()))
    result = cli("validate", "--config", str(config), str(KPIS), "--engines", ENGINES, "--output", "json")
    assert result.exit_code == 1
    errors = [json.loads(line)["error"]["message"] for line in result.stderr.splitlines() if '"error"' in line]
    assert len(errors) == 1, result.stderr
    assert "worker process checking snowflake stopped (killed by SIGABRT)" in errors[0]
    assert "--jobs 1" in errors[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert set(_children(os.getpid())) <= before  # the worker process is gone


def test_a_checker_the_worker_cannot_rebuild_is_one_line(cli, config, monkeypatch, tmp_path):
    # a checker class from a folder on this process's path only: the worker cannot import it
    (tmp_path / "fedkit_only_here.py").write_text("class Checker:\n    def check(self, sql):\n        return None\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from fedkit_only_here import Checker

    monkeypatch.setattr(SnowflakeTraits, "offline_checker", lambda self, validator: Checker())
    monkeypatch.setenv("FEDKIT_VALIDATE_CACHE", "0")
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "1")  # whatever the machine's load
    before = set(_children(os.getpid()))  # a session's servers may run as processes
    result = cli("validate", "--config", str(config), str(KPIS), "--engines", ENGINES)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "ModuleNotFoundError" in errors[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert set(_children(os.getpid())) <= before  # the worker process is gone


def test_ctrl_c_ends_both_processes(config):
    """As a terminal does: SIGINT to the whole process group, while the worker is starting or checking."""
    process = _fedkit("validate", "--config", str(config), str(KPIS), "--engines", ENGINES, start_new_session=True)
    child = _worker_of(process)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)  # returns: nothing holds fedkit's pipes open
    assert process.returncode == 130, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: interrupted after "), stderr
    assert "Traceback" not in stderr and stdout == ""
    assert _gone(child)


def test_the_worker_never_outlives_fedkit(config):
    process = _fedkit("validate", "--config", str(config), str(KPIS), "--engines", ENGINES)
    child = _worker_of(process)
    process.kill()  # no chance to clean up: the kernel stops the worker (Linux), even mid-import
    process.communicate(timeout=60)
    assert _gone(child)


def test_pipes_and_json_as_in_one_process(config):
    """stdin/stdout/stderr are pipes; `--output json` is byte for byte the one-process (`--jobs 1`) document."""
    args = ("validate", "--config", str(config), str(KPIS), "--engines", ENGINES, "--output", "json")
    with_worker = _fedkit(*args)
    out, err = with_worker.communicate(input="", timeout=120)
    assert with_worker.returncode == 0, err
    alone = _fedkit(*args, "--jobs", "1")
    assert alone.communicate(input="", timeout=120)[0] == out
    assert len(json.loads(out)["results"]) == 3 * len(list(KPIS.glob("*.sql")))
