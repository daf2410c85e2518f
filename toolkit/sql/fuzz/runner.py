"""Run the fuzzer: generate `queries` queries for `seed`, check each, shrink each failure; count what was covered."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from toolkit.sql.fuzz.gaps import KNOWN_GAPS

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.fuzz.check import Outcome


@dataclass(frozen=True)
class Failure:
    seed: int
    index: int
    original_sql: str
    minimal: "Outcome"  # the shrunk query's outcome: its SQL, compiled SQL, message and both results


@dataclass
class FuzzReport:
    seed: int
    queries: int = 0
    passed: int = 0
    invalid: list[str] = field(default_factory=list)  # sources that did not run on DuckDB (generator bugs)
    refused: int = 0  # queries refused on at least one engine
    refusals: Counter = field(default_factory=Counter)  # engine -> queries refused there
    refusal_reasons: Counter = field(default_factory=Counter)  # "engine: first words of the message" -> queries
    failures: list[Failure] = field(default_factory=list)
    constructs: Counter = field(default_factory=Counter)  # the grammar's construct names
    node_types: Counter = field(default_factory=Counter)  # sqlglot node types and function names in the sources
    seconds: float = 0.0
    gaps: tuple[str, ...] = ()


def _reason(message: str) -> str:
    """A refusal message without its line number and alternative: what was refused."""
    import re

    text = re.sub(r"^line \d+: ", "", message.split("; use instead:")[0])
    return text if len(text) <= 90 else text[:87] + "..."


def _node_names(sql: str) -> list[str]:
    import sqlglot
    from sqlglot import exp

    names = []
    for node in sqlglot.parse_one(sql, read="duckdb").walk():
        names.append(f"{type(node).__name__}:{node.name.upper()}" if isinstance(node, exp.Anonymous)
                     else type(node).__name__)
    return names


def run_fuzz(
    seed: int,
    queries: int,
    *,
    catalog: "GoldCatalog | None" = None,
    gaps: frozenset[str] | None = None,
    shrink_failures: bool = True,
    progress: Callable[[int, "Outcome"], None] | None = None,
) -> FuzzReport:
    from toolkit.sql.fuzz.catalog import gold_catalog
    from toolkit.sql.fuzz.check import Checker
    from toolkit.sql.fuzz.data import fuzz_tables
    from toolkit.sql.fuzz.query import generate
    from toolkit.sql.fuzz.shrink import shrink
    from toolkit.sql.quiet import quiet_sqlglot

    started = time.perf_counter()
    gaps = frozenset(KNOWN_GAPS) if gaps is None else gaps
    catalog = catalog or gold_catalog()
    checker = Checker(catalog, fuzz_tables(catalog, seed))
    report = FuzzReport(seed, gaps=tuple(sorted(gaps)))
    with quiet_sqlglot():
        try:
            for index in range(queries):
                query = generate(catalog, seed, index, gaps)
                outcome = checker.check(query)
                report.queries += 1
                report.constructs.update(query.constructs)
                report.node_types.update(_node_names(outcome.source_sql))
                if outcome.refusals:
                    report.refused += 1
                    report.refusals.update(outcome.refusals.keys())
                    report.refusal_reasons.update(f"{engine}: {_reason(message)}"
                                                  for engine, message in outcome.refusals.items())
                if outcome.status == "invalid":
                    report.invalid.append(f"seed {seed} query {index}: {outcome.message}: {outcome.source_sql}")
                elif outcome.status == "failure":
                    minimal = query
                    if shrink_failures:
                        def same(candidate, signature=outcome.signature):
                            return checker.check(candidate).signature == signature
                        minimal = shrink(query, same, gaps)
                    report.failures.append(Failure(seed, index, outcome.source_sql, checker.check(minimal)))
                else:
                    report.passed += 1
                if progress is not None:
                    progress(index, outcome)
        finally:
            checker.close()
    report.seconds = time.perf_counter() - started
    return report
