"""The fuzzer's building blocks: value kinds, and sqlglot templates filled with operand nodes.

A template is a small DuckDB expression parsed once whose `__a`, `__b`, `__c` columns are replaced by operand nodes:
operands are expressions, never pasted text. Each node records its kind in `node.meta["fuzz_kind"]`, so the shrinker
replaces a node only by one of the same kind.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp

KIND = "fuzz_kind"
ORDERABLE = ("int", "dec", "float", "str", "date", "ts")
GROUPABLE = ("int", "dec", "str", "date", "bool")
NUMERIC = ("int", "dec", "float")


@lru_cache(maxsize=None)
def _parsed(template: str) -> "exp.Expression":
    import sqlglot

    return sqlglot.parse_one(template, read="duckdb")


def fill(template: str, **operands: "exp.Expression") -> "exp.Expression":
    """The template's tree with each `__name` column replaced by a copy of `operands[name]`."""
    from sqlglot import exp

    tree = _parsed(template).copy()
    for column in list(tree.find_all(exp.Column)):
        if column.name.startswith("__"):
            replacement = operands[column.name[2:]].copy()
            if column is tree:
                return replacement
            if _operator(column.parent) and _operator(replacement):
                # sqlglot prints a hand-built tree without the parentheses its precedence needs (`a * (b // c)`
                # would print as `a * b // c`): add them, so the text means the tree and kinds stay true
                replacement = exp.Paren(this=replacement)
            column.replace(replacement)
    return tree


def _operator(node: "exp.Expression | None") -> bool:
    from sqlglot import exp

    return isinstance(node, (exp.Binary, exp.Unary, exp.Is, exp.Like, exp.Between, exp.In)) and not isinstance(
        node, exp.Paren)


def kind_of_node(node: "exp.Expression") -> str | None:
    return node.meta.get(KIND) if node.meta else None


def tag(node: "exp.Expression", kind: str) -> "exp.Expression":
    node.meta[KIND] = kind
    return node


