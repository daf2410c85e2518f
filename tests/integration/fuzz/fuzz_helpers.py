"""What the fuzz regression tests share: a ZetaSQL-backed checker over the fuzz data of one seed, and the rule table
with one rule taken out (to show the bug a rule fixes comes back without it)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from toolkit.sql import rules as rules_module
from toolkit.sql.fuzz.catalog import gold_catalog
from toolkit.sql.fuzz.check import Checker
from toolkit.sql.fuzz.data import fuzz_tables


def seeded_checker(seed: int) -> Iterator[Checker]:
    """For a module fixture: `yield from seeded_checker(seed)`."""
    catalog = gold_catalog()
    checker = Checker(catalog, fuzz_tables(catalog, seed))
    try:
        yield checker
    finally:
        checker.close()


@contextmanager
def without(rule) -> Iterator[None]:
    """Every source/target pair's rules without `rule`, restored afterwards."""
    saved = dict(rules_module.RULES)
    try:
        for key, rules in saved.items():
            rules_module.RULES[key] = tuple(r for r in rules if r is not rule)
        yield
    finally:
        rules_module.RULES.clear()
        rules_module.RULES.update(saved)
