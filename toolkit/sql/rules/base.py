"""What every portability rule shares: the context it runs in, its errors, and type helpers over sqlglot nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from sqlglot import exp


class SqlSyntaxError(UsageError):
    """The SQL does not parse in its declared dialect; `line`/`column` are 1-based positions in the source."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class UnportableError(UsageError):
    """A construct has no faithful translation to a target engine; the message names the alternative."""

    def __init__(self, message: str, line: int | None = None, alternative: str = ""):
        text = f"{message}; use instead: {alternative}" if alternative else message
        super().__init__(text)
        self.line = line
        self.alternative = alternative


@dataclass
class RuleContext:
    """Where a rule runs: source and target dialects, plus the notes (rules applied) it leaves for the reader."""

    source: str
    target: str
    notes: list[str] = field(default_factory=list)
    # gold table name (lower case) -> its column names (lower case), for rules that must know what a name resolves to
    table_columns: dict[str, frozenset[str]] = field(default_factory=dict)

    def note(self, rule: str, detail: str) -> None:
        text = f"{rule}: {detail}"
        if text not in self.notes:
            self.notes.append(text)

    def refuse(self, node: "exp.Expression", message: str, alternative: str = "") -> UnportableError:
        line = line_of(node)
        where = f"line {line}: " if line else ""
        return UnportableError(f"{where}{message} (on {self.target})", line=line, alternative=alternative)


Rule = Callable[["exp.Expression", RuleContext], "exp.Expression"]


def line_of(node: "exp.Expression") -> int | None:
    """The first source line sqlglot recorded under `node` (identifiers and functions carry positions)."""
    for sub in node.walk():
        line = sub.meta.get("line") if sub.meta else None
        if line:
            return int(line)
    return None


# -- types (set by sqlglot's annotate_types from the gold catalog) -------------------------------------------------
def _type(node: "exp.Expression"):
    from sqlglot import exp

    data_type = getattr(node, "type", None)
    if data_type is None or data_type.this in (exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL):
        return None
    return data_type.this


def is_integer(node: "exp.Expression") -> bool:
    from sqlglot import exp

    kind = _type(node)
    return kind is not None and kind in exp.DataType.INTEGER_TYPES


def is_float(node: "exp.Expression") -> bool:
    from sqlglot import exp

    return _type(node) in (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT, exp.DataType.Type.UDOUBLE)


def is_date(node: "exp.Expression") -> bool:
    from sqlglot import exp

    return _type(node) == exp.DataType.Type.DATE


def is_known(node: "exp.Expression") -> bool:
    return _type(node) is not None


def double(node: "exp.Expression") -> "exp.Expression":
    """CAST(node AS DOUBLE), typed, so later rules see a float."""
    from sqlglot import exp

    while isinstance(node, exp.Paren):  # CAST(...) already delimits its operand: no `CAST((a + b) AS ...)`
        node = node.this
    cast = exp.cast(node, exp.DataType.build("DOUBLE"))
    cast.type = exp.DataType.build("DOUBLE")
    return cast
