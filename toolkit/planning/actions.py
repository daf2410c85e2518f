"""The plan model. `fedkit plan --output json` prints `{"actions": [...]}` from this; scripts rely on the shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Target = Literal["aws", "bigquery", "snowflake"]
# "drift": report-only (registration found a table that no longer matches its Parquet; `--replace` recreates it).
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


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.actions

    def to_json(self) -> dict[str, Any]:
        return {"actions": [a.to_json() for a in self.actions]}

    def __add__(self, other: "Plan") -> "Plan":
        return Plan(self.actions + other.actions)
