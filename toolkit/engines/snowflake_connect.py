"""Snowflake connection settings the way Snowflake's own tools find them (snowflake CLI, connector, SnowSQL).

- `connections.toml` under `$SNOWFLAKE_HOME`, else `~/.snowflake/` (the connector's documented locations);
- the connection name: config `snowflake.connection_name`, else `SNOWFLAKE_DEFAULT_CONNECTION_NAME`, else the
  file's `default_connection_name`, else `[default]`;
- `SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>` and `SNOWFLAKE_<KEY>` variables override single keys (as the CLI does);
- key-pair auth: `authenticator = "SNOWFLAKE_JWT"` with `private_key_file` (and optionally
  `private_key_file_pwd`), passed to the connector as is.

Every session is pinned to UTC (`TIMEZONE`), like every engine fedkit drives (DESIGN §6). Secrets are never
put in a message: errors name the file, the connection and the missing key only.

Nothing hangs: the connector's own defaults retry a dead server forever (`network_timeout` is infinite), so every
connection gets `login_timeout`, `network_timeout` and `socket_timeout` (connector parameters:
https://docs.snowflake.com/en/developer-guide/python-connector/python-connector-api#connect) unless
connections.toml sets them; `FEDKIT_SNOWFLAKE_{LOGIN,NETWORK,SOCKET}_TIMEOUT` (seconds) override the defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import ConfigError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig

# Keys the connector understands that may come from connections.toml or SNOWFLAKE_<KEY> variables.
_KEYS = (
    "account", "user", "password", "authenticator", "private_key_file", "private_key_file_pwd", "token",
    "role", "warehouse", "database", "schema", "host", "port", "protocol", "region",
)
SESSION_PARAMETERS = {"TIMEZONE": "UTC"}
# Seconds. network_timeout bounds the retries of one request and is also the connector's statement timeout (it
# cancels a query running longer: raise it for KPI queries that take more than 10 minutes); socket_timeout bounds one
# connect or read (Snowflake answers a long query within ~45 s and the connector then polls).
TIMEOUT_DEFAULTS = {"login_timeout": 60, "network_timeout": 600, "socket_timeout": 120}


def snowflake_timeouts(environ: dict[str, str] | None = None) -> dict[str, int]:
    """The connector's timeouts: the defaults above, `FEDKIT_SNOWFLAKE_<NAME>` (1-86400 s) overriding them."""
    from toolkit.limits import env_number

    env = os.environ if environ is None else environ
    return {key: int(env_number(f"FEDKIT_SNOWFLAKE_{key.upper()}", default, 1, 86400, env))
            for key, default in TIMEOUT_DEFAULTS.items()}


def snowflake_home() -> Path:
    home = os.environ.get("SNOWFLAKE_HOME")
    return Path(home).expanduser() if home else Path.home() / ".snowflake"


def connections_file() -> Path:
    return snowflake_home() / "connections.toml"


def connection_name(loaded: "LoadedConfig | None", file_data: dict[str, Any] | None = None) -> str:
    configured = loaded.config.snowflake.connection_name if loaded and loaded.config.snowflake else None
    return (
        configured
        or os.environ.get("SNOWFLAKE_DEFAULT_CONNECTION_NAME")
        or (file_data or {}).get("default_connection_name")
        or "default"
    )


def read_connections(path: Path | None = None) -> dict[str, Any]:
    path = path or connections_file()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read Snowflake connections: {str(exc).splitlines()[0]}")


def connect_kwargs(loaded: "LoadedConfig | None" = None, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """snowflake.connector.connect() kwargs for the configured connection (pure but for reading the files)."""
    env = os.environ if environ is None else environ
    path = connections_file()
    data = read_connections(path)
    name = connection_name(loaded, data)
    section = data.get(name)
    kwargs: dict[str, Any] = dict(section) if isinstance(section, dict) else {}
    prefix = f"SNOWFLAKE_CONNECTIONS_{name.upper()}_"
    for key in _KEYS:
        value = env.get(prefix + key.upper()) or env.get("SNOWFLAKE_" + key.upper())
        if value:
            kwargs[key] = value
    if not kwargs.get("account") and not kwargs.get("host"):
        where = f"[{name}] in {path}" if path.exists() else f"{path} (missing)"
        raise ConfigError(
            f"Snowflake connection {name!r} not found: add {where} with account/user and auth, "
            "set SNOWFLAKE_ACCOUNT/SNOWFLAKE_USER, or start the sandbox (`fedkit sandbox up`)"
        )
    if str(kwargs.get("authenticator", "")).upper() == "SNOWFLAKE_JWT":
        key_file = kwargs.get("private_key_file")
        if not key_file:
            raise ConfigError(f"Snowflake connection {name!r}: authenticator SNOWFLAKE_JWT needs private_key_file")
        if not Path(str(key_file)).expanduser().is_file():
            raise ConfigError(f"Snowflake connection {name!r}: private_key_file {key_file} does not exist")
        kwargs["private_key_file"] = str(Path(str(key_file)).expanduser())
    if "port" in kwargs:
        kwargs["port"] = int(kwargs["port"])
    return with_utc(kwargs)


def with_utc(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same kwargs with the session pinned to UTC (other session parameters kept)."""
    result = dict(kwargs)
    result["session_parameters"] = {**dict(kwargs.get("session_parameters") or {}), **SESSION_PARAMETERS}
    return result


def connect(kwargs: dict[str, Any]) -> Any:
    """Open a connector connection; CloudError names the host/account, never a secret."""
    import snowflake.connector

    from toolkit.errors import EngineUnavailable
    from toolkit.redact import remember_from, scrub

    kwargs = {**snowflake_timeouts(), **{k: v for k, v in kwargs.items() if v is not None}}
    _quiet_cancellation_timers()
    remember_from(kwargs)  # whatever the connector later logs or raises, these values never get printed
    try:
        return snowflake.connector.connect(**kwargs)
    except snowflake.connector.errors.Error as exc:
        where = kwargs.get("host") or kwargs.get("account") or "?"
        message = scrub(str(getattr(exc, "msg", None) or exc).splitlines()[0])
        raise EngineUnavailable(f"cannot connect to Snowflake ({where}): {message}")


def _quiet_cancellation_timers() -> None:
    """Keep the connector's statement-cancelling timer threads from printing tracebacks.

    When a statement outlives `network_timeout` the connector cancels it from a `threading.Timer`; with the server
    gone that cancel fails as well, and Python prints the timer thread's traceback on stderr. The statement's own
    error is what fedkit reports (one line), so those threads' errors are only logged at debug level.
    """
    import logging
    import threading

    previous = threading.excepthook
    if getattr(previous, "fedkit_quiet_timers", False):
        return

    def hook(args: Any) -> None:
        thread = args.thread
        if isinstance(thread, threading.Timer) and type(thread).__module__.startswith("snowflake.connector"):
            logging.getLogger(__name__).debug("Snowflake statement cancel failed: %s", args.exc_value)
            return
        previous(args)

    hook.fedkit_quiet_timers = True  # type: ignore[attr-defined]
    threading.excepthook = hook
