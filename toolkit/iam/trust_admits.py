"""Who a role's trust policy admits besides fedkit's own statements (pure): they can read the gold prefix too.

A trust statement admits its principals when it allows one of the STS assume-role actions: `Action` matches
one (IAM action names are case-insensitive and take `*`/`?` wildcards), or `NotAction` excludes none of them.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.iam.merge import statements_of
from toolkit.iam.policies import is_managed

ASSUME_ACTIONS = ("sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml")


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _matches(pattern: str, action: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lower())
    return re.fullmatch(regex, action) is not None


def allows_assume(statement: dict[str, Any]) -> bool:
    if str(statement.get("Effect", "")).lower() != "allow":
        return False
    if "NotAction" in statement and statement.get("Action") is None:
        excluded = _values(statement["NotAction"])
        return any(not any(_matches(p, a) for p in excluded) for a in ASSUME_ACTIONS)
    return any(_matches(p, a) for p in _values(statement.get("Action")) for a in ASSUME_ACTIONS)


def _principals(statement: dict[str, Any]) -> list[str]:
    if "NotPrincipal" in statement:
        # Allow + NotPrincipal admits everyone but the listed ones.
        excluded = _principals({"Principal": statement["NotPrincipal"]})
        return [f"anyone except {', '.join(excluded)}"]
    principal = statement.get("Principal")
    if principal == "*":
        return ["* (anyone)"]
    if isinstance(principal, dict):
        return [f"{kind} {value}" + (" (anyone)" if value == "*" else "")
                for kind, values in principal.items() for value in _values(values)]
    return [str(principal)] if principal else []


def foreign_statements(trust: dict[str, Any] | None) -> list[tuple[str | None, list[str]]]:
    """(Sid, principals) of each statement fedkit does not manage that lets someone assume the role."""
    found = []
    for statement in statements_of(trust):
        if isinstance(statement, dict) and not is_managed(statement) and allows_assume(statement):
            principals = _principals(statement)
            if principals:
                found.append((statement.get("Sid"), principals))
    return found


def foreign_principals(trust: dict[str, Any] | None) -> list[str]:
    """Every principal admitted by a statement fedkit does not manage, in document order."""
    return [p for _, principals in foreign_statements(trust) for p in principals]


def admits(trust: dict[str, Any] | None, principal_arn: str, external_id: str) -> bool:
    """True when a statement lets the AWS principal `principal_arn` assume the role with `sts:ExternalId` equal to
    `external_id` (what a Snowflake storage integration's IAM user needs: docs.snowflake.com "Configure a Snowflake
    storage integration to access Amazon S3", step 5)."""
    for statement in statements_of(trust):
        if not isinstance(statement, dict) or not allows_assume(statement):
            continue
        principal = statement.get("Principal")
        if not isinstance(principal, dict) or principal_arn not in _values(principal.get("AWS")):
            continue
        condition = statement.get("Condition") or {}
        ids = [value for operator, block in condition.items() if isinstance(block, dict)
               and str(operator).lower() in ("stringequals", "stringlike")
               for key, values in block.items() if str(key).lower() == "sts:externalid" for value in _values(values)]
        if external_id in ids:
            return True
    return False
