"""Waiting for IAM to propagate before the first engine call that assumes the role.

AWS IAM is eventually consistent: a new role, or a trust policy just changed, may be refused for a while by
sts:AssumeRole (docs.aws.amazon.com IAM User Guide, "Troubleshoot IAM" > "Changes that I make are not always
immediately visible"). BigQuery Omni answers its BigLake DDL with an access error, Snowflake its external table
creation with "Failure using stage area … Access Denied" (docs.snowflake.com "Configure a Snowflake storage
integration to access Amazon S3", step 6: the trust policy may take time to apply). Such answers are retried with
a doubling backoff inside a bounded budget (FEDKIT_IAM_PROPAGATION_WAIT seconds, default 300), then the step stops
with a message naming it; any other error fails at once.
"""

from __future__ import annotations

import os
import re
from typing import Callable, Mapping, TypeVar

from toolkit.errors import CloudError, UsageError

T = TypeVar("T")

ENV = "FEDKIT_IAM_PROPAGATION_WAIT"
DEFAULT_BUDGET = 300.0
_FIRST, _CAP = 5.0, 60.0  # seconds, for the default budget; scaled with a smaller one
_DENIED = re.compile(
    r"Access\s*Denied|AccessDenied|not authorized to perform:?\s*sts:AssumeRole|Failure using stage area",
    re.IGNORECASE,
)


def is_access_denied(message: str) -> bool:
    return bool(_DENIED.search(message or ""))


def propagation_budget(environ: Mapping[str, str] | None = None) -> float:
    raw = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not raw:
        return DEFAULT_BUDGET
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise UsageError(f"{ENV}: {raw!r} is not a number of seconds between 0 and 3600")
    return value


def retry_access_denied(
    step: str,
    fn: Callable[[], T],
    *,
    budget: float,
    sleep: Callable[[float], None],
    progress: Callable[[str], None],
) -> T:
    """`fn()`, retried while it fails with an access-denied CloudError and the waits stay within `budget` seconds."""
    scale = min(1.0, budget / DEFAULT_BUDGET) if budget > 0 else 0.0
    delay, waited, attempt = _FIRST * max(scale, 0.04), 0.0, 0
    while True:
        try:
            return fn()
        except CloudError as exc:
            if not is_access_denied(exc.message):
                raise
            attempt += 1
            if waited + delay > budget:
                raise CloudError(
                    f"{step}: access denied after {attempt} attempt(s) over {int(waited)} s "
                    f"({exc.message.splitlines()[0]}); IAM changes to the role or its trust can take minutes to "
                    f"propagate: check the role's trust and policy, then rerun `fedkit apply` (safe to repeat; "
                    f"{ENV} sets the wait, now {budget:g} s)"
                ) from exc
            progress(f"{step}: waiting for IAM to propagate (attempt {attempt}, {int(waited)} s so far)")
            sleep(delay)
            waited += delay
            delay = min(delay * 2, _CAP * max(scale, 0.04))
