"""`fedkit sandbox up|status|down|env`: start, inspect and stop the local moto and fakesnow servers.

Everything the sandbox owns lives under `$FEDKIT_HOME` (default `.fedkit/`): `sandbox.json` (what runs where),
`logs/<service>.log`, `fakesnow/` (Snowflake databases, kept across `down`/`up`) and `snowflake/connections.toml`.
Only processes recorded in `sandbox.json` whose command line still is our server are ever stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from toolkit.errors import CloudError, UsageError
from toolkit.sandbox import health, process
from toolkit.sandbox.services import FAKESNOW, SERVICES, ServiceSpec
# The shell side (`fedkit sandbox env [--unset]`) lives in shell_env; these names stay importable from here.
from toolkit.sandbox.shell_env import (  # noqa: F401 (re-exported)
    SANDBOX_ENV_KEYS, UNSET_IN_SANDBOX, apply_env, sandbox_env, shell_exports, shell_unsets,
)
from toolkit.sandbox.snowflake_home import write_snowflake_home
from toolkit.sandbox.status_model import DownResult, SandboxStatus, ServiceStatus, UpResult  # noqa: F401 (re-exported)
from toolkit.sandbox.state import (
    SANDBOX_DEFAULT_ACCOUNT_ID,
    SandboxStateUnreadable,
    fedkit_home,
    read_state,
    sandbox_account_id,
    remove_state,
    snowflake_connect_kwargs,
    snowflake_home,
    state_file,
    write_state,
)

DEFAULT_START_TIMEOUT = 30.0
DEFAULT_STOP_TIMEOUT = 10.0


def display_path(path: str | Path) -> str:
    """A path relative to the working directory when it is inside it (shorter messages), else absolute."""
    path = Path(path)
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def logs_dir() -> Path:
    return fedkit_home() / "logs"


def fakesnow_data_dir() -> Path:
    return fedkit_home() / "fakesnow"


def _check_home(create: bool = False) -> Path:
    """FEDKIT_HOME as a usable folder (created when asked), or a one-line UsageError naming it."""
    home = fedkit_home()
    if home.exists() and not home.is_dir():
        raise UsageError(f"FEDKIT_HOME {home} is a file, not a folder: point FEDKIT_HOME at a folder")
    if create:
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"FEDKIT_HOME {home}: cannot create the sandbox folder: {exc.strerror or exc}")
    return home


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    """One `up`/`down` at a time per FEDKIT_HOME (two shells starting the sandbox at once would race)."""
    from toolkit.fsutil import file_lock

    with file_lock(_check_home(create=True) / "sandbox"):  # sandbox.lock, as before
        yield


def _spec(name: str) -> ServiceSpec | None:
    return next((s for s in SERVICES if s.name == name), None)


def status(check_health: bool = True) -> SandboxStatus:
    """What `sandbox.json` records and whether each recorded server still runs and answers."""
    _check_home()
    state = read_state()
    result = SandboxStatus(state_file=display_path(state_file()), recorded=state is not None)
    if state is None:
        return result
    for spec in SERVICES:
        entry = state.get(spec.name) or {}
        pid, port = entry.get("pid"), entry.get("port")
        running = bool(pid and port) and process.is_our_process(pid, spec.markers(port))
        endpoint = entry.get("endpoint")
        healthy = running and check_health and bool(endpoint) and health.healthy(spec.name, endpoint, timeout=2.0)
        result.services.append(
            ServiceStatus(
                name=spec.name,
                title=spec.title,
                pid=pid,
                host=entry.get("host", process.LOOPBACK),
                port=port,
                endpoint=endpoint,
                log=entry.get("log"),
                running=running,
                healthy=bool(healthy),
            )
        )
    return result


def up(
    moto_port: int | None = None,
    fakesnow_port: int | None = None,
    timeout: float = DEFAULT_START_TIMEOUT,
    account_id: str | None = None,
) -> UpResult:
    """Start both servers detached (or confirm they already run); nothing is left half-started on failure.

    A recorded server that runs and answers is never restarted (moto keeps its AWS state in memory only); one that
    is gone or does not answer is replaced, and the messages say what state is lost with it.

    `account_id` is the AWS account moto answers as (`sts:GetCallerIdentity`, ARNs): the project's `aws.account_id`,
    so a config written for a real account plans and applies on the sandbox unchanged. Default 123456789012.
    """
    from toolkit.sandbox.extra import require_sandbox_extra

    require_sandbox_extra("starting the sandbox")
    account = account_id or SANDBOX_DEFAULT_ACCOUNT_ID
    with _lock():
        messages: list[str] = []
        current = status()
        deadline = time.monotonic() + 5.0
        while current.recorded and not current.stale and not current.running and time.monotonic() < deadline:
            time.sleep(0.2)  # our processes run but one did not answer in time (a busy machine): ask again
            current = status()
        if current.running:
            write_snowflake_home(snowflake_home(), _snowflake_kwargs(current))
            messages.append("sandbox is already up")
            for name, flag, wanted in (("moto", "--moto-port", moto_port), ("fakesnow", "--snowflake-port", fakesnow_port)):
                running = current.service(name)
                if wanted is not None and running is not None and running.port != wanted:
                    messages.append(f"{flag} {wanted} ignored: {name} already runs on port {running.port} (`fedkit sandbox down` first)")
            running_account = sandbox_account_id()
            if account_id is not None and running_account != account_id:
                messages.append(f"AWS account {account_id} ignored: the sandbox already runs as account {running_account} "
                                "(`fedkit sandbox down`, then `fedkit sandbox up` to switch)")
            return UpResult(started=False, status=current, messages=messages)
        # A server that runs and answers is kept (moto's AWS state lives only in its memory); the rest start fresh.
        kept = _kept_entries(current, read_state() or {}) if current.recorded else {}
        if current.recorded:
            messages.extend(_clean_stale(current))
            if kept:
                write_state(_state_document(kept))  # a start failing below leaves the kept servers recorded
        for name, flag, wanted in (("moto", "--moto-port", moto_port), ("fakesnow", "--snowflake-port", fakesnow_port)):
            if name in kept and wanted is not None and kept[name].get("port") != wanted:
                messages.append(f"{flag} {wanted} ignored: {name} already runs on port {kept[name].get('port')}")
        if "moto" in kept and account_id is not None and kept["moto"].get("account_id", account) != account_id:
            messages.append(f"AWS account {account_id} ignored: moto keeps running as account "
                            f"{kept['moto'].get('account_id')} (`fedkit sandbox down`, then `fedkit sandbox up` to switch)")
        ports = _choose_ports(None if "moto" in kept else moto_port, None if "fakesnow" in kept else fakesnow_port,
                              taken={entry["port"] for entry in kept.values()})
        started = _start_all({name: port for name, port in ports.items() if name not in kept}, timeout, account)
        if "moto" in started:
            started["moto"]["account_id"] = account
        entries = {**kept, **started}
        fakesnow = entries["fakesnow"]
        write_snowflake_home(snowflake_home(), snowflake_connect_kwargs(fakesnow.get("host", process.LOOPBACK), fakesnow["port"]))
        write_state(_state_document(entries))
        return UpResult(started=True, status=status(), messages=messages)


def _state_document(entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"version": 1, "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **entries}


def _kept_entries(current: SandboxStatus, state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The recorded entries of servers that run and answer: `up` keeps them instead of restarting them."""
    return {s.name: dict(state[s.name]) for s in current.services
            if s.running and s.healthy and isinstance(state.get(s.name), dict)}


def _snowflake_kwargs(current: SandboxStatus) -> dict[str, Any]:
    fakesnow = current.service("fakesnow")
    assert fakesnow is not None and fakesnow.port is not None
    return snowflake_connect_kwargs(fakesnow.host, fakesnow.port)


# What is lost with each server, said whenever one is stopped or found gone (never silently).
_STATE_LOST = {
    "moto": "its AWS state (buckets, roles, queues: kept in its memory only) is lost",
    "fakesnow": "its Snowflake databases are kept on disk",
}


def _clean_stale(current: SandboxStatus) -> list[str]:
    """Stop the recorded servers that run but do not answer (only our own processes), say what each loses, and
    forget the state of the broken ones. Servers that run and answer are kept untouched."""
    messages = []
    for service in current.services:
        spec = _spec(service.name)
        lost = _STATE_LOST.get(service.name, "its state is lost")
        if service.running and service.healthy:
            messages.append(f"{service.name}: pid {service.pid} runs and answers; kept (its state with it)")
        elif service.running and spec is not None and service.pid:
            how = process.stop(service.pid, DEFAULT_STOP_TIMEOUT)
            messages.append(f"{service.name}: pid {service.pid} was running but not answering; {how}: {lost}")
        elif service.pid:
            messages.append(f"{service.name}: recorded pid {service.pid} is gone (stale state): {lost}")
    remove_state()
    messages.append(f"removed stale {display_path(state_file())}")
    return messages


def _choose_ports(moto_port: int | None, fakesnow_port: int | None, taken: set[int] = frozenset()) -> dict[str, int]:
    if moto_port is not None and moto_port == fakesnow_port:
        raise UsageError(f"--moto-port and --snowflake-port are both {moto_port}: the two servers need two ports")
    chosen: dict[str, int] = {}
    for name, flag, wanted in (("moto", "--moto-port", moto_port), ("fakesnow", "--snowflake-port", fakesnow_port)):
        if wanted is None:
            port = process.free_port()
            while port in chosen.values() or port in taken:
                port = process.free_port()
        else:
            if not 1 <= wanted <= 65535:
                raise UsageError(f"{flag} {wanted}: not a TCP port (1-65535)")
            if process.port_in_use(wanted):
                raise UsageError(
                    f"{flag} {wanted}: port {wanted} on {process.LOOPBACK} is in use; "
                    f"stop what listens there or pick another port (or leave {flag} out for a free one)"
                )
            port = wanted
        chosen[name] = port
    return chosen


def _child_env(account_id: str = SANDBOX_DEFAULT_ACCOUNT_ID) -> dict[str, str]:
    """The servers run with this venv's Python; the toolkit is importable even from another working directory.

    moto answers as `account_id` (its MOTO_ACCOUNT_ID), whatever a developer's shell had set.
    """
    env = dict(os.environ)
    env["MOTO_ACCOUNT_ID"] = account_id
    package_root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    # The servers must not think they are clients of some other endpoint.
    for key in ("AWS_ENDPOINT_URL", "FEDKIT_MODE"):
        env.pop(key, None)
    # Nor hold the user's credentials: they need none, and what they never hold they cannot log to .fedkit/logs.
    from toolkit.redact import secret_env_names

    for key in secret_env_names(env):
        env.pop(key, None)
    return env


def _start_all(
    ports: dict[str, int], timeout: float, account_id: str = SANDBOX_DEFAULT_ACCOUNT_ID
) -> dict[str, dict[str, Any]]:
    """Start every service, wait until all answer; on any failure stop the ones started and raise."""
    host = process.LOOPBACK
    env = _child_env(account_id)
    entries: dict[str, dict[str, Any]] = {}
    data_dir = fakesnow_data_dir().absolute()
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        for spec in SERVICES:
            if spec.name not in ports:
                continue  # kept running
            port = ports[spec.name]
            log = (logs_dir() / f"{spec.name}.log").absolute()
            argv = spec.argv(sys.executable, host, port, data_dir if spec is FAKESNOW else None)
            pid = process.start_detached(argv, log, env=env)
            entries[spec.name] = {
                "pid": pid,
                "host": host,
                "port": port,
                "endpoint": spec.endpoint(host, port),
                "log": str(log),
            }
        if "fakesnow" in entries:
            entries["fakesnow"]["db_path"] = str(data_dir)
        _wait_healthy(entries, timeout)
    except BaseException:
        for name, entry in entries.items():
            spec = _spec(name)
            if spec is not None and process.is_our_process(entry["pid"], spec.markers(entry["port"])):
                process.stop(entry["pid"], 5.0)
        raise
    return entries


def _wait_healthy(entries: dict[str, dict[str, Any]], timeout: float) -> None:
    pending = dict(entries)
    deadline = time.monotonic() + timeout
    while pending:
        for name, entry in list(pending.items()):
            code = process.exit_status(entry["pid"])
            if code is not None or not process.pid_alive(entry["pid"]):
                tail = process.log_tail(Path(entry["log"]))
                raise CloudError(
                    f"sandbox {name} server exited at start (exit code {code}) on port {entry['port']}"
                    + (f": {tail.rstrip('.')}" if tail else "")
                    + f"; see {display_path(entry['log'])}"
                )
            if health.healthy(name, entry["endpoint"], timeout=1.0):
                del pending[name]
        if not pending:
            return
        if time.monotonic() > deadline:
            name, entry = next(iter(pending.items()))
            raise CloudError(
                f"sandbox {name} server did not answer on {entry['endpoint']} within {timeout:g} s; "
                f"see {display_path(entry['log'])}"
            )
        time.sleep(0.1)


def down(timeout: float = DEFAULT_STOP_TIMEOUT, wipe: bool = False) -> DownResult:
    """Stop the servers `up` recorded (only if their command line still is ours) and forget the state.

    An unreadable state file is removed (the documented reset): nothing can be learnt from it."""
    with _lock():
        result = DownResult()
        try:
            state = read_state()
        except SandboxStateUnreadable as exc:
            remove_state()
            result.messages.append(
                f"removed the unreadable {display_path(state_file())} ({exc.reason}); "
                "servers it recorded, if any, were not stopped"
            )
        else:
            if state is None:
                result.messages.append("sandbox is not running (nothing to stop)")
            else:
                _stop_recorded(state, timeout, result)
        if wipe:
            for folder in (fakesnow_data_dir(), logs_dir(), snowflake_home()):
                if folder.exists():
                    shutil.rmtree(folder)
                    result.messages.append(f"removed {display_path(folder)}")
        return result


def _stop_recorded(state: dict[str, Any], timeout: float, result: DownResult) -> None:
    for spec in SERVICES:
        entry = state.get(spec.name) or {}
        pid, port = entry.get("pid"), entry.get("port")
        if not pid or not port:
            continue
        if process.is_our_process(pid, spec.markers(port)):
            how = process.stop(pid, timeout)
            result.stopped.append({"service": spec.name, "pid": pid, "how": how})
        elif process.pid_alive(pid):
            result.messages.append(f"{spec.name}: pid {pid} is no longer our server (pid reused); left it alone")
        else:
            result.messages.append(f"{spec.name}: pid {pid} was already gone")
    remove_state()
