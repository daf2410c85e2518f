"""SYSTEM$VALIDATE_STORAGE_INTEGRATION: Snowflake checks, through the integration (its IAM user assuming the role), that
it can read the gold prefix (docs.snowflake.com/en/sql-reference/functions/system_validate_storage_integration).

The answer is a JSON object: `status` ("success" or "failure") and, per requested action (READ here), its `status`
and on failure a `message` (e.g. "Access Denied (Status Code: 403; Error Code: AccessDenied)"). The integration name
is case-sensitive in this function, so it is passed as Snowflake stores it (`sf_resolved`). Pure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

TEST_FILE = "validate_all.txt"
ACTION = "read"


@dataclass(frozen=True)
class Validation:
    ok: bool
    summary: str  # one line for apply's output


def validate_sql(integration: str, storage_path: str, test_file: str = TEST_FILE, action: str = ACTION) -> str:
    from toolkit.registration.desired import sf_resolved
    from toolkit.sql.ddl import sf_string

    args = ", ".join(sf_string(v) for v in (sf_resolved(integration), storage_path, test_file, action))
    return f"SELECT SYSTEM$VALIDATE_STORAGE_INTEGRATION({args})"


def parse_validation(integration: str, storage_path: str, answer: object) -> Validation:
    """The function's JSON answer -> ok and one line naming the integration, the path and each failed action."""
    try:
        data = json.loads(answer) if isinstance(answer, (str, bytes)) else answer
    except ValueError:
        data = None
    if not isinstance(data, dict) or "status" not in data:
        return Validation(False, f"storage integration {integration} on {storage_path}: unreadable validation answer "
                                 f"{str(answer)[:200]!r}")
    actions = data.get("actions") if isinstance(data.get("actions"), dict) else {}
    if str(data["status"]).lower() == "success":
        done = ", ".join(sorted(str(k).lower() for k in actions)) or ACTION
        return Validation(True, f"storage integration {integration} can {done} {storage_path}")
    failed = [f"{str(name).lower()}: {(result or {}).get('message') or 'failure'}" for name, result in actions.items()
              if str((result or {}).get("status", "")).lower() != "success"]
    return Validation(False, f"storage integration {integration} cannot use {storage_path} ("
                             + ("; ".join(failed) or "failure") + "): check the role's trust admits the integration's "
                             "IAM user and external id (`fedkit iam generate`), then rerun `fedkit apply`")
