"""Readable diffs for plans: unified diffs of pretty JSON documents (what people review before `apply`)."""

from __future__ import annotations

import difflib
import json
from typing import Any


def pretty(document: Any) -> str:
    return "" if document is None else json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def json_diff(before: Any, after: Any, name: str) -> str:
    """A unified diff between two JSON documents (None means "does not exist"); empty when they are equal."""
    old, new = pretty(before), pretty(after)
    if old == new:
        return ""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{name} (current)" if before is not None else "/dev/null",
        tofile=f"{name} (planned)",
        n=3,
    )
    return "".join(lines)
