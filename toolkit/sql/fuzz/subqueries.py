"""Subquery productions: `x [NOT] IN (SELECT …)` (NULLs in the list make NOT IN unknown), `[NOT] EXISTS (…)`
correlated on a column of the outer query, and scalar subqueries (an aggregate, so one row) correlated or not.

A subquery reads one catalog table under its own alias (s0, s1, …) through a grammar over that table's columns;
it holds no subquery itself (sizes stay small, the evaluator stays fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.fuzz.templates import fill, tag

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.sql.fuzz.grammar import Grammar

_KEYED = ("int", "str", "date")


def _inner(g: "Grammar", kind: str | None = None) -> tuple["Grammar", str, str] | None:
    """A grammar over one catalog table holding a column of `kind` (any table when None), its alias and table."""
    from toolkit.sql.fuzz.grammar import Grammar, ScopeColumn

    tables = [(name, columns) for name, columns in g.tables if kind is None or any(k == kind for _, k in columns)]
    if not tables:
        return None
    name, columns = g.rng.choice(tables)
    alias = f"s{g.aliases[0]}"
    g.aliases[0] += 1
    scope = tuple(ScopeColumn(alias, column, k) for column, k in columns)
    return Grammar(g.rng, scope, g.gaps, g.used, tables=(), aliases=g.aliases), alias, name


def _where(inner: "Grammar", correlation: dict[str, "exp.Expression"] | None
           ) -> tuple[str, dict[str, "exp.Expression"]]:
    """The subquery's WHERE text and operands: equality with an outer column of the same kind (when correlated)
    and/or a predicate on its own table."""
    parts, operands = [], dict(correlation or {})
    if correlation:
        parts.append("__x = __y")
    if inner.rng.random() < 0.5:
        parts.append("__w")
        operands["w"] = inner.expr("bool", 1)
    return (f" WHERE {' AND '.join(parts)}" if parts else ""), operands


def _correlation(inner: "Grammar", outer: "Grammar") -> dict[str, "exp.Expression"] | None:
    for kind in inner.rng.sample(_KEYED, len(_KEYED)):
        mine, theirs = inner.column(kind), outer.column(kind)
        if mine is not None and theirs is not None:
            return {"x": mine, "y": theirs}
    return None


def in_subquery(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    operand = g.rng.choice(_KEYED)
    made = _inner(g, operand)
    if made is None:
        return g.leaf("bool")
    inner, alias, table = made
    negated = "NOT " if g.rng.random() < 0.5 else ""
    if negated:
        g.used["not_in_subquery"] += 1
    where, operands = _where(inner, None)
    return fill(f"__a {negated}IN (SELECT __c FROM {table} AS {alias}{where})", a=g.expr(operand, depth),
                c=inner.column(operand), **operands)


def exists(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    made = _inner(g)
    if made is None:
        return g.leaf("bool")
    inner, alias, table = made
    where, operands = _where(inner, _correlation(inner, g))
    negated = "NOT " if g.rng.random() < 0.4 else ""
    return fill(f"{negated}EXISTS (SELECT 1 FROM {table} AS {alias}{where})", **operands)


def scalar_subquery(g: "Grammar", kind: str, depth: int) -> "exp.Expression":
    """One value of `kind` from another table: MIN/MAX of a column of that kind, or a COUNT for an int."""
    made = _inner(g, kind if kind != "int" else None)
    if made is None:
        return g.leaf(kind)
    inner, alias, table = made
    where, operands = _where(inner, _correlation(inner, g) if g.rng.random() < 0.5 else None)
    if kind == "int" and (g.rng.random() < 0.5 or inner.column("int") is None):
        measure, value = "COUNT(*)", None
    else:
        measure = f"{g.rng.choice(('MIN', 'MAX'))}(__v)"
        value = inner.column(kind)
    if value is not None:
        operands["v"] = value
    return tag(fill(f"(SELECT {measure} FROM {table} AS {alias}{where})", **operands), kind)
