"""Merge, never overwrite: statements fedkit writes (`policies.MANAGED_SIDS`) are replaced in place, others are kept.

Pure functions over plain JSON-like dicts. AWS may hand a document back with cosmetic differences (a one-item
list as a string, reordered values): `normalize_statement` makes such documents compare equal so a second
`apply` plans nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.iam.policies import POLICY_VERSION, is_managed

_LIST_FIELDS = ("Action", "NotAction", "Resource", "NotResource")


def _as_sorted_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return sorted(str(v) for v in values)


def normalize_statement(statement: dict[str, Any]) -> dict[str, Any]:
    """A canonical form for comparison only (never written back)."""
    out: dict[str, Any] = {}
    for key, value in statement.items():
        if key in _LIST_FIELDS:
            out[key] = _as_sorted_list(value)
        elif key in ("Principal", "NotPrincipal"):
            out[key] = (
                {k: _as_sorted_list(v) for k, v in sorted(value.items())} if isinstance(value, dict) else str(value)
            )
        elif key == "Condition" and isinstance(value, dict):
            out[key] = {
                op: {k: _as_sorted_list(v) for k, v in sorted(block.items())} for op, block in sorted(value.items())
            }
        else:
            out[key] = value
    return out


def statements_of(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not document:
        return []
    statements = document.get("Statement", [])
    return list(statements) if isinstance(statements, list) else [statements]


@dataclass(frozen=True)
class Merge:
    document: dict[str, Any]
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def describe(self) -> str:
        parts = [f"add {s}" for s in self.added] + [f"update {s}" for s in self.updated]
        parts += [f"remove {s}" for s in self.removed]
        return ", ".join(parts)


def merge_statements(observed: dict[str, Any] | None, desired_managed: list[dict[str, Any]]) -> Merge:
    """Replace managed statements in place, append new ones, drop managed ones no longer wanted, keep the rest."""
    desired = {stmt["Sid"]: stmt for stmt in desired_managed}
    added, updated, removed = [], [], []
    seen: set[str] = set()
    result: list[dict[str, Any]] = []
    for stmt in statements_of(observed):
        if not isinstance(stmt, dict) or not is_managed(stmt):
            result.append(stmt)
            continue
        sid = stmt["Sid"]
        if sid in seen or sid not in desired:
            removed.append(sid)  # a duplicate of ours, or an engine that is no longer configured
            continue
        seen.add(sid)
        if normalize_statement(stmt) != normalize_statement(desired[sid]):
            updated.append(sid)
            result.append(desired[sid])
        else:
            result.append(stmt)
    for sid, stmt in desired.items():
        if sid not in seen:
            added.append(sid)
            result.append(stmt)
    document: dict[str, Any] = {"Version": (observed or {}).get("Version", POLICY_VERSION)}
    if observed and "Id" in observed:
        document["Id"] = observed["Id"]
    document["Statement"] = result
    # An existing document keeps its Version (e.g. SNS's default 2008-10-17): our statements use no policy
    # variables, so they mean the same under both grammars, and foreign statements keep their meaning.
    return Merge(document, added, updated, removed)
