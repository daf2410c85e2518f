"""Bounds read from the environment (timeouts, attempts): one parser, one-line errors naming the variable."""

from __future__ import annotations

from typing import Mapping


def env_number(name: str, default: float, low: float, high: float, environ: Mapping[str, str]) -> float:
    """`environ[name]` as a number in [low, high], `default` when unset or empty; UsageError otherwise."""
    from toolkit.errors import UsageError

    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name}={raw!r}: not a number") from None
    if not low <= value <= high:
        raise UsageError(f"{name}={raw!r}: must be between {low:g} and {high:g}")
    return value
