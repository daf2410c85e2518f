"""Where the sandbox keeps its state, and how the rest of fedkit finds a running sandbox.

State lives under `$FEDKIT_HOME` (default `./.fedkit`). `sandbox.json` records what `fedkit sandbox up` started:

    {"moto": {"pid": 123, "host": "127.0.0.1", "port": 5001, "endpoint": "http://127.0.0.1:5001"},
     "fakesnow": {"pid": 124, "host": "127.0.0.1", "port": 5002, "db_path": ".fedkit/fakesnow"}}

(`up` also records each service's "log" path and fakesnow's "endpoint", plus top-level "version" and
"started_at"; paths are absolute. Readers must ignore keys they do not know.)

Mode: `FEDKIT_MODE=sandbox|cloud|auto` (default auto: the sandbox when one is running here, else the cloud); any
other value is an error, never a silent `auto`. `sandbox-used.json` beside the state remembers that a sandbox ran
from this project (it outlives `sandbox down`), so auto falling back to the real clouds afterwards is said.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

from toolkit.errors import CloudError, UsageError

SANDBOX_AWS_CREDENTIALS = {
    "aws_access_key_id": "fedkit-sandbox",
    "aws_secret_access_key": "fedkit-sandbox",
}

# The account moto answers as when `fedkit sandbox up` is not given the project's (moto's own default).
SANDBOX_DEFAULT_ACCOUNT_ID = "123456789012"


def sandbox_account_id() -> str:
    """The AWS account the recorded sandbox's moto answers as (set by `fedkit sandbox up` from aws.account_id)."""
    moto = (read_state() or {}).get("moto") or {}
    account = moto.get("account_id")
    return str(account) if account else SANDBOX_DEFAULT_ACCOUNT_ID


def fedkit_home() -> Path:
    return Path(os.environ.get("FEDKIT_HOME", ".fedkit"))


def state_file() -> Path:
    return fedkit_home() / "sandbox.json"


class SandboxStateUnreadable(UsageError):
    """sandbox.json exists but is not a JSON object: fedkit cannot tell what runs, so it says so instead of guessing."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: sandbox state file is unreadable ({reason}); {_RESET_HINT}")
        self.reason = reason


def read_state() -> dict[str, Any] | None:
    """The recorded state, None when there is none; SandboxStateUnreadable when the file is corrupt."""
    path = state_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SandboxStateUnreadable(path, str(exc)) from None
    try:
        state = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SandboxStateUnreadable(path, f"invalid JSON at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(state, dict):
        raise SandboxStateUnreadable(path, "not a JSON object")
    return state


_RESET_HINT = "reset it with `fedkit sandbox down` (removes it) then `fedkit sandbox up`"


MODES = ("sandbox", "cloud", "auto")


@dataclass(frozen=True)
class ModeResolution:
    mode: str  # 'sandbox' or 'cloud'
    requested: str  # what FEDKIT_MODE asked for ('auto' when unset)
    fell_back: bool = False  # auto chose the cloud although a sandbox ran from this project before
    last_used: str | None = None  # when that sandbox was last started (from sandbox-used.json)

    @property
    def notice(self) -> str | None:
        """The line that says, before anything runs, that this command now reaches the real clouds."""
        if not self.fell_back:
            return None
        when = f" (last started {self.last_used})" if self.last_used else ""
        return (f"no sandbox runs here any more, but one ran from this project{when}: this command reaches the "
                "REAL clouds; `fedkit sandbox up` to use the sandbox, or FEDKIT_MODE=cloud to say you mean it")


def requested_mode() -> str:
    """FEDKIT_MODE, checked: a typo must not quietly become `auto` (which may be the real cloud)."""
    raw = os.environ.get("FEDKIT_MODE", "")
    wanted = raw.strip().lower() or "auto"
    if wanted not in MODES:
        from toolkit.safe_text import printable

        raise UsageError(f"FEDKIT_MODE={printable(raw[:40])!r}: unknown mode; use sandbox, cloud or auto "
                         "(auto, the default: the sandbox when one is running here, else the cloud)")
    return wanted


def resolve_mode() -> ModeResolution:
    wanted = requested_mode()
    if wanted != "auto":
        return ModeResolution(wanted, wanted)
    if sandbox_running():
        return ModeResolution("sandbox", wanted)
    used = sandbox_used_here()
    return ModeResolution("cloud", wanted, fell_back=used is not None, last_used=(used or {}).get("last_up"))


# Where the fallback notice goes (the CLI installs a stderr printer); said once per command.
_notice_hook: "Callable[[str], None] | None" = None
_noticed = False


def on_notice(hook: "Callable[[str], None] | None") -> None:
    global _notice_hook, _noticed
    _notice_hook, _noticed = hook, False


def mode() -> str:
    """'sandbox' or 'cloud'. The first call that falls back to the cloud after a sandbox ran here says so."""
    global _noticed
    resolved = resolve_mode()
    if resolved.notice and _notice_hook is not None and not _noticed:
        _noticed = True
        _notice_hook(resolved.notice)
    return resolved.mode


def used_file() -> Path:
    return fedkit_home() / "sandbox-used.json"


def sandbox_used_here() -> dict[str, Any] | None:
    """What `remember_sandbox_used` wrote, None when no sandbox ever ran from this project (or it is unreadable)."""
    try:
        data = json.loads(used_file().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else {}


def remember_sandbox_used() -> None:
    import time

    from toolkit.fsutil import write_json

    write_json(used_file(), {"last_up": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


def sandbox_running() -> bool:
    """True when a server recorded by `fedkit sandbox up` still runs here (its command line is checked: pid reuse)."""
    from toolkit.sandbox.process import is_our_process
    from toolkit.sandbox.services import SERVICES

    state = read_state() or {}
    for spec in SERVICES:
        entry = state.get(spec.name)
        if isinstance(entry, dict) and entry.get("port") and is_our_process(entry.get("pid"), spec.markers(entry["port"])):
            return True
    return False


def sandbox_aws_settings() -> dict[str, Any] | None:
    """boto3 client kwargs for the running sandbox's moto server, or None in cloud mode."""
    if mode() != "sandbox":
        return None
    state = read_state() or {}
    moto = state.get("moto") or {}
    if not moto.get("endpoint"):
        return None
    if os.environ.get("AWS_ENDPOINT_URL", moto["endpoint"]).rstrip("/") == moto["endpoint"].rstrip("/"):
        require_answering(moto["endpoint"], moto.get("pid"))
    return {"endpoint_url": moto["endpoint"], **SANDBOX_AWS_CREDENTIALS}


class SandboxDown(CloudError):
    """The state says the sandbox runs but one of its servers does not answer (killed, crashed, machine rebooted)."""


def require_answering(endpoint: str, pid: Any = None, timeout: float = 1.0) -> None:
    """A TCP connect to the sandbox's moto server, so a dead one is named instead of botocore's connection error."""
    parsed = urlparse(endpoint)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 80), timeout=timeout):
            return
    except OSError:
        pass
    recorded = f" (moto, pid {pid})" if pid else " (moto)"
    raise SandboxDown(
        f"the sandbox's AWS endpoint {endpoint}{recorded} does not answer; restart the sandbox with "
        "`fedkit sandbox up` (`fedkit sandbox status` shows what runs)"
    )


# fakesnow accepts any user and password; these dummies are not secrets.
SANDBOX_SNOWFLAKE_CREDENTIALS = {"user": "fedkit", "password": "fakesnow", "account": "fakesnow"}
# Telemetry off (nothing leaves the machine). These are a *user's* session (the `[fedkit_sandbox]` connection in
# connections.toml): its zone is a Snowflake account's default, America/Los_Angeles (docs.snowflake.com "Parameters",
# TIMEZONE), not UTC, so the sandbox does not hide a timestamp that only reads right in UTC. fedkit's own sessions
# stay pinned to UTC (toolkit.engines.snowflake_connect.with_utc). fakesnow itself ignores the zone: it answers every
# session with Etc/UTC and cannot run ALTER SESSION SET TIMEZONE (README, "What runs where").
SANDBOX_SNOWFLAKE_SESSION_PARAMETERS: dict[str, Any] = {
    "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False, "TIMEZONE": "America/Los_Angeles",
}
SANDBOX_SNOWFLAKE_CONNECTION_NAME = "fedkit_sandbox"


def snowflake_home() -> Path:
    """The SNOWFLAKE_HOME the sandbox writes (its connections.toml has the `[fedkit_sandbox]` connection)."""
    return fedkit_home() / "snowflake"


def snowflake_connect_kwargs(host: str, port: int) -> dict[str, Any]:
    """snowflake.connector.connect() kwargs for a fakesnow server at host:port (pure)."""
    return {
        **SANDBOX_SNOWFLAKE_CREDENTIALS,
        "host": host,
        "port": int(port),
        "protocol": "http",
        "session_parameters": dict(SANDBOX_SNOWFLAKE_SESSION_PARAMETERS),
    }


def sandbox_snowflake_kwargs() -> dict[str, Any] | None:
    """snowflake.connector.connect() kwargs for the running sandbox's fakesnow server, or None in cloud mode."""
    if mode() != "sandbox":
        return None
    fakesnow = (read_state() or {}).get("fakesnow") or {}
    if not fakesnow.get("port"):
        return None
    return snowflake_connect_kwargs(fakesnow.get("host", "127.0.0.1"), fakesnow["port"])


def write_state(state: dict[str, Any]) -> Path:
    """Write sandbox.json atomically (readers never see half a file), never with a secret in it."""
    from toolkit.fsutil import write_json

    path = write_json(state_file(), state)
    remember_sandbox_used()
    return path


def remove_state() -> bool:
    """Delete sandbox.json; True when there was one."""
    try:
        state_file().unlink()
    except FileNotFoundError:
        return False
    return True
