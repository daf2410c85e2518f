"""Validation results as plain data: one per file x engine (or per extra check), plus the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OK = "ok"
ERROR = "error"


@dataclass(frozen=True)
class Result:
    """One file checked on one engine. `line`/`column` are 1-based positions in the file as the user wrote it."""

    file: str
    engine: str
    status: str  # "ok" | "error"
    line: int | None = None
    column: int | None = None
    message: str = ""
    excerpt: str = ""  # the source line and a caret under the column (errors only)
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.status == OK

    def to_json(self) -> dict[str, Any]:
        """Exactly the documented keys: file, engine, status, line, column, message."""
        return {
            "file": self.file,
            "engine": self.engine,
            "status": self.status,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    notes: tuple[str, ...] = ()  # run-level notes (online checks skipped, workers used, ...)

    @property
    def failed(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if not r.ok)

    @property
    def passed(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, Any]:
        return {"results": [r.to_json() for r in self.results]}


def excerpt(text: str, line: int | None, column: int | None) -> str:
    """`line` of `text` with a caret under `column` (empty when the line is unknown)."""
    if line is None:
        return ""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    source = lines[line - 1].rstrip().expandtabs(1)
    if column is None or column < 1:
        return source
    return f"{source}\n{' ' * (min(column, len(source) + 1) - 1)}^"


def error(file: str, engine: str, message: str, text: str = "", line: int | None = None, column: int | None = None,
          seconds: float = 0.0) -> Result:
    return Result(file, engine, ERROR, line, column, message, excerpt(text, line, column), seconds)


@dataclass(frozen=True)
class Problem:
    """What one check found, in the coordinates of the text it checked (compiled SQL unless `in_source`).

    `name` is the culprit identifier when the engine names one (used to find it in the source when the engine
    gives no usable position)."""

    message: str
    line: int | None = None
    column: int | None = None
    name: str | None = None
    in_source: bool = False
