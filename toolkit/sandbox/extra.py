"""The embedded sandbox's servers are an optional extra (`pip install 'fedkit-gold[sandbox]'`): moto's server (Flask)
and fakesnow's server (uvicorn, Starlette). `fedkit validate`, parity and the cloud commands need none of them
(parity and validate run fakesnow in process), so the base install leaves them out; a command that starts the
servers checks here first and says which extra to install, instead of failing later inside a child process."""

from __future__ import annotations

import importlib.util

from toolkit.errors import UsageError

PIP_NAME = "fedkit-gold"  # the distribution on PyPI (`fedkit` there is an unrelated project); the command is `fedkit`

# moto[server] -> moto.server imports flask and flask_cors; fakesnow[server] -> uvicorn and starlette.
SANDBOX_MODULES: tuple[str, ...] = ("moto", "flask", "flask_cors", "uvicorn", "starlette")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: a module set to None in sys.modules (an import that fails)
        return False


def missing_sandbox_modules() -> list[str]:
    """The server modules this environment cannot import (empty when the `[sandbox]` extra is installed)."""
    return [module for module in SANDBOX_MODULES if not _installed(module)]


def require_sandbox_extra(command: str) -> None:
    """Raise a one-line UsageError (exit 2) naming the extra when the sandbox's servers are not installed."""
    missing = missing_sandbox_modules()
    if missing:
        raise UsageError(
            f"{command} needs the embedded sandbox's servers, which are not installed (missing: {', '.join(missing)}): "
            f"pip install '{PIP_NAME}[sandbox]'"
        )
