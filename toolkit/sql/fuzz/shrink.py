"""Shrink a failing query to a minimal one that still fails the same way (greedy delta debugging over the shape).

Steps, each kept only when the smaller query still fails with the same signature: keep only the CTE or only the
other branch of a set operation, drop the set operation, ROLLUP/CUBE/GROUPING SETS, NULLS FIRST, LIMIT, ORDER BY,
HAVING, a WHERE predicate, a select item, a join; shrink the CTE or the other branch (their columns kept); replace
an expression by one of its sub-expressions of the same kind, or by a plain literal of that kind. Every kept step
makes the query strictly smaller (fewer syntax nodes), so it ends. Pure: `still_fails` is the only judge.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Callable, Iterator

from toolkit.sql.fuzz.grammar import Grammar
from toolkit.sql.fuzz.templates import KIND, kind_of_node

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.sql.fuzz.query import Query

MAX_TRIES = 400


def size(query: "Query") -> int:
    return sum(1 for _ in query.tree().walk())


def shrink(query: "Query", still_fails: Callable[["Query"], bool], gaps: frozenset[str] = frozenset(),
           max_tries: int = MAX_TRIES) -> "Query":
    """The smallest query reached from `query` by steps that keep `still_fails` true."""
    tries = 0
    current, current_size = query, size(query)
    progress = True
    while progress and tries < max_tries:
        progress = False
        for candidate in _candidates(current, gaps):
            candidate_size = size(candidate)
            if candidate_size >= current_size:
                continue
            tries += 1
            if still_fails(candidate):
                current, current_size = candidate, candidate_size
                progress = True
                break
            if tries >= max_tries:
                break
    return current


def _candidates(q: "Query", gaps: frozenset[str]) -> Iterator["Query"]:
    if q.inner is not None:
        yield q.inner  # the CTE alone (a query in its own right)
    if q.compound is not None:
        yield q.compound[1]  # the other branch alone
        yield q.without(compound=None)
    if q.grouping is not None:
        yield q.without(grouping=None)
    if q.nulls is not None:
        yield q.without(nulls=None)
    if q.limit is not None:
        yield q.without(limit=None)
    if q.order is not None:
        yield q.without(order=None, limit=None, nulls=None)
    if q.having is not None:
        yield q.without(having=None)
    if q.qualify is not None:
        yield q.without(qualify=None)
    for i in range(len(q.where)):
        yield q.without(where=q.where[:i] + q.where[i + 1:])
    for i in range(len(q.joins) - 1, -1, -1):
        yield q.without(joins=q.joins[:i] + q.joins[i + 1:])
    if len(q.items) > 1:
        for i in range(len(q.items)):
            keys = q.keys if q.keys is None or i >= q.keys else q.keys - 1
            order = None if q.order is None else q.order[:i] + q.order[i + 1:]
            nulls = None if q.nulls is None else q.nulls[:i] + q.nulls[i + 1:]
            compound = q.compound
            if compound is not None:  # the other branch loses the same column
                compound = (compound[0], compound[1].without(items=compound[1].items[:i] + compound[1].items[i + 1:]))
            yield q.without(items=q.items[:i] + q.items[i + 1:], keys=keys, order=order, nulls=nulls,
                            compound=compound, grouping=q.grouping if keys else None)
    for part, inner in (("inner", q.inner), ("compound", q.compound[1] if q.compound else None)):
        if inner is None:
            continue
        for smaller in _candidates(inner, gaps):  # the CTE or the other branch shrunk, its columns kept
            if len(smaller.items) == len(inner.items):
                yield q.without(**{part: smaller if part == "inner" else (q.compound[0], smaller)})
    for i, item in enumerate(q.items):
        for simpler in _simpler(item, gaps):
            yield q.without(items=q.items[:i] + (simpler,) + q.items[i + 1:])
    for i, predicate in enumerate(q.where):
        for simpler in _simpler(predicate, gaps):
            yield q.without(where=q.where[:i] + (simpler,) + q.where[i + 1:])


def _simpler(tree: "exp.Expression", gaps: frozenset[str]) -> Iterator["exp.Expression"]:
    """`tree` with one typed node replaced by a same-kind descendant or a literal of its kind."""
    literals = Grammar(random.Random(0), (), gaps)
    for position, node in enumerate(tree.walk()):
        kind = kind_of_node(node)
        if kind is None:
            continue
        replacements = [d for d in node.walk() if d is not node and kind_of_node(d) == kind]
        replacements.append(literals.literal(kind))
        for replacement in replacements:
            yield _replace_at(tree, position, replacement)


def _replace_at(tree: "exp.Expression", position: int, replacement: "exp.Expression") -> "exp.Expression":
    copy = tree.copy()
    target = next(node for index, node in enumerate(copy.walk()) if index == position)
    new = replacement.copy()
    new.meta[KIND] = kind_of_node(replacement)
    if target is copy:
        return new
    target.replace(new)
    return copy
