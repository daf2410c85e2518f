"""The `SNOWFLAKE_HOME` the sandbox writes: a `connections.toml` whose `[fedkit_sandbox]` points at fakesnow.

snowflake-connector-python reads `$SNOWFLAKE_HOME/connections.toml` when that folder exists (resolved once, when
`snowflake.connector` is first imported), and warns unless the file is private (0600). Then
`snowflake.connector.connect(connection_name="fedkit_sandbox")`, or `SNOWFLAKE_DEFAULT_CONNECTION_NAME=fedkit_sandbox`
and `connect()`, reach the sandbox. The user and password are fakesnow's dummies, not secrets.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

CONNECTION_NAME = "fedkit_sandbox"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string: JSON's escapes are valid TOML escapes
    raise TypeError(f"cannot write {type(value).__name__} to connections.toml")


def render_connections_toml(kwargs: dict[str, Any], name: str = CONNECTION_NAME) -> str:
    """connections.toml text for one connection; a nested dict (session_parameters) becomes a sub-table."""
    lines = [
        "# Written by `fedkit sandbox up`: the local fakesnow server. Rewritten on every `up` (the port changes).",
        f"[{name}]",
    ]
    tables = []
    for key, value in kwargs.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables:
        lines.append("")
        lines.append(f"[{name}.{key}]")
        lines.extend(f"{inner} = {_toml_value(value)}" for inner, value in table.items())
    return "\n".join(lines) + "\n"


def write_snowflake_home(home: Path, kwargs: dict[str, Any], name: str = CONNECTION_NAME) -> Path:
    """Write `home/connections.toml` (mode 0600, folder 0700) atomically; returns the file's path."""
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    from toolkit.fsutil import atomic_write

    return atomic_write(home / "connections.toml", render_connections_toml(kwargs, name), mode=0o600)
