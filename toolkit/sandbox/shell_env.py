"""The environment that makes a shell or a process a sandbox client, and the lines that undo it.

`eval "$(fedkit sandbox env)"` exports the sandbox's endpoint, dummy keys and Snowflake home, unsets AWS_PROFILE
and AWS_SESSION_TOKEN, and first keeps the shell's own values in unexported shell variables (a child process, fedkit's
servers included, never sees them); `eval "$(fedkit sandbox env --unset)"` puts every one back.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from toolkit.errors import CloudError
from toolkit.sandbox.state import (
    SANDBOX_AWS_CREDENTIALS,
    SANDBOX_SNOWFLAKE_CONNECTION_NAME,
    snowflake_home,
)

if TYPE_CHECKING:
    from toolkit.sandbox.status_model import SandboxStatus


def sandbox_env(region: str = "us-east-1", current: SandboxStatus | None = None) -> dict[str, str]:
    """The environment that points boto3, snowflake-connector-python and fedkit at the running sandbox."""
    if current is None:
        from toolkit.sandbox.manager import status

        current = status(check_health=False)
    moto = current.service("moto")
    if not current.recorded or moto is None or not moto.endpoint or current.stale:
        raise CloudError("the sandbox is not running; start it with `fedkit sandbox up`")
    return {
        "AWS_ENDPOINT_URL": moto.endpoint,
        "AWS_ACCESS_KEY_ID": SANDBOX_AWS_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": SANDBOX_AWS_CREDENTIALS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "SNOWFLAKE_HOME": str(snowflake_home().absolute()),
        "SNOWFLAKE_DEFAULT_CONNECTION_NAME": SANDBOX_SNOWFLAKE_CONNECTION_NAME,
        "FEDKIT_MODE": "sandbox",
    }


# Variables from a developer's shell that would send sandbox traffic with real credentials or profiles.
UNSET_IN_SANDBOX = ("AWS_SESSION_TOKEN", "AWS_PROFILE")
# Every variable `sandbox env` sets or unsets: what `sandbox env --unset` restores.
SANDBOX_ENV_KEYS = (
    "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION",
    "SNOWFLAKE_HOME", "SNOWFLAKE_DEFAULT_CONNECTION_NAME", "FEDKIT_MODE", *UNSET_IN_SANDBOX,
)
# Shell variables (never exported: a child process, fedkit's servers included, never sees the saved credentials).
_MARK = "_FEDKIT_SANDBOX_ENV"
_SAVED = "_FEDKIT_SAVED_"


def apply_env(env: dict[str, str]) -> None:
    """Make this process a sandbox client (what `eval "$(fedkit sandbox env)"` does for a shell)."""
    for key in UNSET_IN_SANDBOX:
        os.environ.pop(key, None)
    os.environ.update(env)


def _save_lines() -> list[str]:
    """Remember the shell's own values once (a second `eval` must not save the sandbox's values over them)."""
    lines = [f'if [ -z "${{{_MARK}+x}}" ]; then']
    for key in SANDBOX_ENV_KEYS:
        lines.append(f'  if [ -n "${{{key}+x}}" ]; then {_SAVED}{key}="${key}"; else unset {_SAVED}{key}; fi')
    lines.append(f"  {_MARK}=1")
    lines.append("fi")
    return lines


def shell_exports(env: dict[str, str]) -> str:
    """`export K='V'` lines for `eval "$(fedkit sandbox env)"` (values single-quoted for POSIX shells), after saving
    what they replace for `fedkit sandbox env --unset`."""
    lines = _save_lines()
    lines.append(f"unset {' '.join(UNSET_IN_SANDBOX)}")
    for key, value in env.items():
        quoted = "'" + value.replace("'", "'\"'\"'") + "'"
        lines.append(f"export {key}={quoted}")
    return "\n".join(lines) + "\n"


def shell_unsets() -> str:
    """The lines for `eval "$(fedkit sandbox env --unset)"`: every variable back to what it was before
    `sandbox env` (AWS_PROFILE and the real keys included), unset if it was unset. In a shell where `sandbox env`
    never ran, nothing changes."""
    lines = [f'if [ -n "${{{_MARK}+x}}" ]; then']
    for key in SANDBOX_ENV_KEYS:
        lines.append(f'  if [ -n "${{{_SAVED}{key}+x}}" ]; then export {key}="${_SAVED}{key}"; '
                     f"unset {_SAVED}{key}; else unset {key}; fi")
    lines.append(f"  unset {_MARK}")
    lines.append("fi")
    return "\n".join(lines) + "\n"
