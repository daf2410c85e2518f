"""The shrinker keeps only steps after which the query still fails the same way, and ends at a small query."""

from __future__ import annotations

import pytest

from toolkit.sql.fuzz.catalog import gold_catalog
from toolkit.sql.fuzz.gaps import KNOWN_GAPS
from toolkit.sql.fuzz.query import generate
from toolkit.sql.fuzz.shrink import shrink, size


@pytest.fixture(scope="module")
def catalog():
    return gold_catalog()


def _first(catalog, predicate):
    gaps = frozenset(KNOWN_GAPS)
    return next(q for q in (generate(catalog, 11, i, gaps) for i in range(500)) if predicate(q))


def test_shrinks_to_the_construct_that_fails(catalog):
    def fails(query):  # a stand-in for "the engines disagree": any query that still uses a window function
        return " OVER (" in query.sql()

    query = _first(catalog, lambda q: fails(q) and q.joins and q.where and len(q.items) > 2)
    minimal = shrink(query, fails)
    assert fails(minimal)
    assert size(minimal) < size(query)
    assert len(minimal.items) == 1 and not minimal.joins and not minimal.where and minimal.limit is None
    assert minimal.sql().startswith("SELECT ") and " OVER (" in minimal.sql()


def test_steps_that_lose_the_failure_are_not_kept(catalog):
    query = _first(catalog, lambda q: q.keys and q.where and len(q.items) > 1)
    first_key = query.items[0].sql(dialect="duckdb")

    def fails(candidate):  # fails only while the first GROUP BY key and every WHERE predicate are there
        return candidate.keys and candidate.items[0].sql(dialect="duckdb") == first_key \
            and len(candidate.where) == len(query.where)

    minimal = shrink(query, fails)
    assert minimal.items[0].sql(dialect="duckdb") == first_key and len(minimal.where) == len(query.where)
    assert len(minimal.items) <= len(query.items)


def test_nothing_to_shrink_when_every_step_passes(catalog):
    query = generate(catalog, 11, 0, frozenset(KNOWN_GAPS))
    assert shrink(query, lambda candidate: False) is query


def test_a_cte_or_a_set_operation_branch_can_be_kept_alone(catalog):
    """A failure inside the CTE (or the other branch of a UNION) shrinks to that query alone."""
    query = _first(catalog, lambda q: q.inner is not None and q.inner.compound is not None)
    marker = query.inner.compound[1].base

    def fails(candidate):  # stands for "the other branch's table misbehaves"
        return f"FROM {marker} AS t0" in candidate.sql()

    minimal = shrink(query, fails)
    assert fails(minimal) and minimal.inner is None and minimal.compound is None
    assert size(minimal) < size(query)
