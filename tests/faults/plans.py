"""What the fault tests read from `fedkit plan --output json` (test code, imported like proxy.py)."""

from __future__ import annotations


def is_empty_plan(plan: dict) -> bool:
    """An empty plan: no action, drift or warning (the `targets` it names are there on every plan)."""
    return {key: value for key, value in plan.items() if key != "targets"} == {"actions": []}
