"""The sandbox's IAM propagation fault: with FEDKIT_SANDBOX_PROPAGATION_FAULTS=N, the first N engine calls that assume
the role (BigLake table creation, Snowflake external table creation and refresh) answer access denied, as the real
engines do while a new role or trust is not visible yet, so apply's wait (toolkit.engines.propagation) is exercised.

The count is kept under $FEDKIT_HOME (shared by both engines and by every process, like the real delay): a rerun
after the faults are used up converges. Setting another N starts a new count.
"""

from __future__ import annotations

import os

from toolkit.errors import CloudError, UsageError

ENV = "FEDKIT_SANDBOX_PROPAGATION_FAULTS"
_STATE = "sandbox_propagation_faults.json"


def propagation_fault(message: str) -> None:
    """Raise CloudError(message) while the configured number of faults is not used up; else return."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return
    if not raw.isdigit() or int(raw) > 10_000:
        raise UsageError(f"{ENV}: {raw!r} is not a number of faults between 0 and 10000")
    from toolkit.fsutil import update_json
    from toolkit.sandbox.state import fedkit_home

    wanted, fail = int(raw), False
    with update_json(fedkit_home() / _STATE) as state:
        if state.get("faults") != wanted:
            state.clear()
            state.update(faults=wanted, used=0)
        if state["used"] < wanted:
            state["used"] += 1
            fail = True
    if fail:
        raise CloudError(f"{message} (sandbox: simulated IAM propagation delay, {ENV})")
