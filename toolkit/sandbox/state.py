"""Where the sandbox keeps its state, and how the rest of fedkit finds a running sandbox.

State lives under `$FEDKIT_HOME` (default `./.fedkit`). `sandbox.json` records what `fedkit sandbox up` started:

    {"moto": {"pid": 123, "host": "127.0.0.1", "port": 5001, "endpoint": "http://127.0.0.1:5001"},
     "fakesnow": {"pid": 124, "host": "127.0.0.1", "port": 5002, "db_path": ".fedkit/fakesnow"}}

Mode: `FEDKIT_MODE=sandbox|cloud|auto` (default auto: the sandbox when one is running here, else the cloud).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SANDBOX_AWS_CREDENTIALS = {
    "aws_access_key_id": "fedkit-sandbox",
    "aws_secret_access_key": "fedkit-sandbox",
}


def fedkit_home() -> Path:
    return Path(os.environ.get("FEDKIT_HOME", ".fedkit"))


def state_file() -> Path:
    return fedkit_home() / "sandbox.json"


def read_state() -> dict[str, Any] | None:
    try:
        return json.loads(state_file().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mode() -> str:
    """'sandbox' or 'cloud'."""
    wanted = os.environ.get("FEDKIT_MODE", "auto").lower()
    if wanted in ("sandbox", "cloud"):
        return wanted
    state = read_state()
    if state and any(_pid_alive(entry.get("pid")) for entry in state.values() if isinstance(entry, dict)):
        return "sandbox"
    return "cloud"


def sandbox_aws_settings() -> dict[str, Any] | None:
    """boto3 client kwargs for the running sandbox's moto server, or None in cloud mode."""
    if mode() != "sandbox":
        return None
    state = read_state() or {}
    moto = state.get("moto") or {}
    if not moto.get("endpoint"):
        return None
    return {"endpoint_url": moto["endpoint"], **SANDBOX_AWS_CREDENTIALS}
