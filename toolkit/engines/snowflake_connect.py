"""Snowflake connection settings the way Snowflake's own tools find them (snowflake CLI, connector, SnowSQL).

The connector resolves the connection itself: fedkit passes `connection_name=` (and the file it found, so a process
that changed folders still reads the right one), only adding the keys it must pin. Where the files are, as Snowflake
documents it ("Connecting using the connections.toml file",
https://docs.snowflake.com/en/developer-guide/python-connector/python-connector-connect):

- `connections.toml` and `config.toml` live in `$SNOWFLAKE_HOME`, else `~/.snowflake/` when that folder exists, else
  the platform's config folder: `~/.config/snowflake/` on Linux (`$XDG_CONFIG_HOME/snowflake`),
  `~/Library/Application Support/snowflake/` on macOS (platformdirs, as the connector's `sf_dirs` does);
- the connection name: `--connection NAME`, else `SNOWFLAKE_DEFAULT_CONNECTION_NAME`, else the project config's
  `snowflake.connection_name`, else `default_connection_name` in `config.toml`, else `[default]` (the command line
  and the environment win over a project's default, as in the Snowflake CLI);
- `SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>` and `SNOWFLAKE_<KEY>` variables override single keys (as the CLI does), and the
  config's `snowflake.warehouse` wins over the connection's;
- key-pair auth: `authenticator = "SNOWFLAKE_JWT"` with `private_key_file` (checked to exist, `~` expanded).

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
from typing import TYPE_CHECKING, Any, Mapping

from toolkit.errors import ConfigError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig

# Keys the connector understands that may come from SNOWFLAKE_<KEY> variables.
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


def snowflake_home(environ: Mapping[str, str] | None = None) -> Path:
    """The folder the connector reads connections.toml and config.toml from (its `sf_dirs` rule, at call time)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("SNOWFLAKE_HOME", "~/.snowflake/")).expanduser()
    if home.exists():
        return home
    import platformdirs

    return Path(platformdirs.user_config_path("snowflake", appauthor=False))


def connections_file(environ: Mapping[str, str] | None = None) -> Path:
    return snowflake_home(environ) / "connections.toml"


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read Snowflake {what}: {str(exc).splitlines()[0]}")


def read_connections(path: Path | None = None) -> dict[str, Any]:
    return _read_toml(path or connections_file(), "connections")


def choose_connection(
    loaded: "LoadedConfig | None", environ: Mapping[str, str] | None = None, folder: Path | None = None
) -> tuple[str, str]:
    """(connection name, where the name came from): --connection > env > project config > config.toml > default."""
    env = os.environ if environ is None else environ
    flag = getattr(loaded, "snowflake_connection", None) if loaded is not None else None
    if flag:
        return flag, "--connection"
    if env.get("SNOWFLAKE_DEFAULT_CONNECTION_NAME"):
        return env["SNOWFLAKE_DEFAULT_CONNECTION_NAME"], "SNOWFLAKE_DEFAULT_CONNECTION_NAME"
    configured = loaded.config.snowflake.connection_name if loaded is not None and loaded.config.snowflake else None
    if configured:
        return configured, f"snowflake.connection_name in {loaded.path}"  # type: ignore[union-attr]
    config_toml = (folder or snowflake_home(env)) / "config.toml"
    default = _read_toml(config_toml, "config").get("default_connection_name")
    if isinstance(default, str) and default:
        return default, f"default_connection_name in {config_toml}"
    return "default", "the [default] connection"


def connection_name(loaded: "LoadedConfig | None", environ: Mapping[str, str] | None = None) -> str:
    return choose_connection(loaded, environ)[0]


def _resolve(loaded: "LoadedConfig | None", environ: Mapping[str, str] | None) -> tuple[str, str, Path, dict[str, Any]]:
    """(name, why that name, connections.toml, its section with the variable overrides applied)."""
    env = os.environ if environ is None else environ
    folder = snowflake_home(env)
    name, source = choose_connection(loaded, env, folder)
    path = folder / "connections.toml"
    data = read_connections(path)
    section = data.get(name)
    merged: dict[str, Any] = dict(section) if isinstance(section, dict) else {}
    for key, value in _overrides(name, env).items():
        merged[key] = value
    if not merged.get("account") and not merged.get("host"):
        known = sorted(k for k, v in data.items() if isinstance(v, dict))
        where = f"[{name}] in {path}" if path.exists() else f"{path} (missing)"
        listed = f" (it has: {', '.join(known)})" if known else ""
        raise ConfigError(
            f"Snowflake connection {name!r} (from {source}) not found: add {where}{listed} with account/user and auth, "
            "set SNOWFLAKE_ACCOUNT/SNOWFLAKE_USER, or start the sandbox (`fedkit sandbox up`)"
        )
    return name, source, path, merged


def _overrides(name: str, env: Mapping[str, str]) -> dict[str, Any]:
    prefix = f"SNOWFLAKE_CONNECTIONS_{name.upper()}_"
    found = {}
    for key in _KEYS:
        value = env.get(prefix + key.upper()) or env.get("SNOWFLAKE_" + key.upper())
        if value:
            found[key] = value
    return found


def connect_kwargs(
    loaded: "LoadedConfig | None" = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """snowflake.connector.connect() kwargs: `connection_name` + `connections_file_path` for the connector to resolve,
    and only what fedkit pins on top (variable overrides, the config's warehouse, key file path, UTC)."""
    env = os.environ if environ is None else environ
    name, _, path, merged = _resolve(loaded, env)
    from toolkit.redact import remember_from

    remember_from(merged)  # whatever the connector later logs or raises, these values never get printed
    kwargs: dict[str, Any] = {"connection_name": name}
    if path.exists():
        kwargs["connections_file_path"] = path
    kwargs.update(_overrides(name, env))
    warehouse = loaded.config.snowflake.warehouse if loaded is not None and loaded.config.snowflake else None
    if warehouse:
        kwargs["warehouse"] = warehouse
    if str(merged.get("authenticator", "")).upper() == "SNOWFLAKE_JWT":
        key_file = merged.get("private_key_file")
        if not key_file:
            raise ConfigError(f"Snowflake connection {name!r}: authenticator SNOWFLAKE_JWT needs private_key_file")
        if not Path(str(key_file)).expanduser().is_file():
            raise ConfigError(f"Snowflake connection {name!r}: private_key_file {key_file} does not exist")
        kwargs["private_key_file"] = str(Path(str(key_file)).expanduser())
    if "port" in merged:
        kwargs["port"] = int(merged["port"])
    kwargs["session_parameters"] = dict(merged.get("session_parameters") or {})
    return with_utc(kwargs)


def describe_connection(loaded: "LoadedConfig | None", environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Which real Snowflake account a command reaches, for `plan`/`apply` (read from the file: no login)."""
    try:
        name, source, path, merged = _resolve(loaded, environ)
    except ConfigError as exc:
        return {"connection": None, "account": None, "text": exc.message}
    account = merged.get("account") or merged.get("host")
    at = f" at {merged['host']}" if merged.get("host") and merged.get("account") else ""
    return {"connection": name, "connection_from": source, "file": str(path), "account": account,
            "text": f"Snowflake account {account}{at} (connection {name} from {source}, {path})"}


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

    # fedkit's timeouts are defaults: the connection's own (in connections.toml, read by the connector) win.
    own = _section(kwargs)
    defaults = {k: v for k, v in snowflake_timeouts().items() if k not in own}
    kwargs = {**defaults, **{k: v for k, v in kwargs.items() if v is not None}}
    _quiet_cancellation_timers()
    remember_from(kwargs)  # whatever the connector later logs or raises, these values never get printed
    try:
        return snowflake.connector.connect(**kwargs)
    except snowflake.connector.errors.Error as exc:
        where = _where(kwargs)
        message = scrub(str(getattr(exc, "msg", None) or exc).splitlines()[0])
        raise EngineUnavailable(f"cannot connect to Snowflake ({where}): {message}")


def _section(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The connection the connector will read by name (empty when the kwargs are explicit)."""
    name = kwargs.get("connection_name")
    if not name or not kwargs.get("connections_file_path"):
        return {}
    try:
        section = read_connections(Path(kwargs["connections_file_path"])).get(name)
    except ConfigError:
        return {}
    return section if isinstance(section, dict) else {}


def _where(kwargs: dict[str, Any]) -> str:
    """The host or account a failed connect tried (the connection's own, when the connector read it by name)."""
    name = kwargs.get("connection_name")
    section = _section(kwargs)
    target = kwargs.get("host") or kwargs.get("account") or section.get("host") or section.get("account") or "?"
    return f"{target}, connection {name}" if name else str(target)


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
