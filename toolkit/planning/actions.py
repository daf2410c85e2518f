"""The plan model. `fedkit plan --output json` prints `{"actions": [...]}` from this; scripts rely on the shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Target = Literal["aws", "bigquery", "snowflake", "glue"]
# "drift": report-only (registration found a table that no longer matches its Parquet; `--replace` recreates it).
# It is never printed among the JSON "actions" (see Plan.to_json): that list's verbs are a public contract.
Verb = Literal["create", "update", "replace", "delete", "drift"]


@dataclass(frozen=True)
class Action:
    target: Target
    action: Verb
    resource: str  # e.g. "iam_role/fedkit-gold-reader", "bigquery_table/gold.fact_sales"
    detail: str  # one human line: what changes and why
    diff: str = ""  # unified diff or the DDL that will run, for people
    payload: dict[str, Any] = field(default_factory=dict, compare=False)  # what the applier needs

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "target": self.target,
            "action": self.action,
            "resource": self.resource,
            "detail": self.detail,
        }
        if self.diff:
            data["diff"] = self.diff
        return data


def with_drift(data: dict[str, Any], actions: "tuple[Action, ...] | list[Action]") -> dict[str, Any]:
    """Add the `drift` list to a JSON result when some of `actions` are drift reports."""
    drift = [a.to_json() for a in actions if a.action == "drift"]
    return {**data, "drift": drift} if drift else data


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...] = ()
    # What fedkit leaves alone but a reviewer should know (e.g. a policy on the role that may read beyond the gold
    # prefix): in the JSON only when there are some, like drift.
    warnings: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.actions

    def to_json(self) -> dict[str, Any]:
        """`{"actions": [...]}`: only changes (create|update|replace|delete), so an empty list means nothing to do.

        Drift reports change nothing, so they are not actions: they go to a separate `drift` list, present only
        when there is drift (scripts reading `actions` are never surprised by a fifth verb).
        """
        data = with_drift({"actions": [a.to_json() for a in self.actions if a.action != "drift"]}, self.actions)
        return {**data, "warnings": list(self.warnings)} if self.warnings else data

    def __add__(self, other: "Plan") -> "Plan":
        return Plan(self.actions + other.actions, self.warnings + other.warnings)
