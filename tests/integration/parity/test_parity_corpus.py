"""The tricky-query corpus (tests/corpus/tricky) compiled, run and compared on all three engines.

Expectations come from each file's `-- expect:` line: `portable` -> pass on every engine; `unportable on X, Y`
-> a compile error naming the alternative on X and Y, pass elsewhere. KNOWN_GAPS lists what parity catches that
the compiler does not fix yet: those must be reported as a mismatch with both rows (never silently pass with
wrong numbers, never an error) or pass once the compiler is fixed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.sql.parity.runner import PARITY_ENGINES, run_parity

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "tricky"
_EXPECT = re.compile(r"^--\s*expect:\s*(.*)$", re.MULTILINE)

# (kpi, engine) pairs parity catches but the compiler does not fix yet: reported as mismatches with both rows.
# Empty: COUNT_IF over no rows (DuckDB NULL vs 0) is now fixed by rules.conditionals.
KNOWN_GAPS: set[tuple[str, str]] = set()


def refused_on(text: str) -> set[str]:
    match = _EXPECT.search(text)
    found = re.match(r"unportable on ([a-z, ]+?)(;|$)", match.group(1) if match else "portable")
    return {e.strip() for e in found.group(1).split(",")} if found else set()


@pytest.fixture(scope="module")
def corpus_report(parity_loaded, parity_catalog, parity_data):
    return run_parity(parity_loaded, PARITY_ENGINES, 600, paths=[CORPUS], catalog=parity_catalog, data=parity_data)


def test_corpus_is_large_enough(corpus_report):
    assert len(corpus_report.kpis) >= 25


def test_corpus_results_match_expectations(corpus_report):
    texts = {run.name: Path(run.path).read_text() for run in corpus_report.kpis}
    problems = []
    for result in corpus_report.results:
        refused = refused_on(texts[result.kpi])
        if result.engine in refused:
            ok = result.status == "error" and result.message.startswith("compile:") and "use instead" in result.message
        elif (result.kpi, result.engine) in KNOWN_GAPS:
            ok = result.status == "pass" or (
                result.status == "mismatch" and result.comparison.reference_rows and result.comparison.engine_rows)
        elif "over no rows" in texts[result.kpi]:  # written to test semantics over nothing: reported `empty`
            ok = result.status in ("pass", "empty")
        else:
            ok = result.status == "pass"
        if not ok:
            problems.append(f"{result.kpi} on {result.engine}: {result.status}: {result.message}")
    assert not problems, "\n".join(problems)


def test_count_if_over_no_rows_is_null_on_every_engine(corpus_report):
    # DuckDB's COUNT_IF over no rows is NULL; BigQuery COUNTIF and Snowflake COUNT_IF would give 0 without the rule.
    for engine in PARITY_ENGINES:
        result = corpus_report.result("empty_group", engine)
        assert result.status == "pass", f"{engine}: {result.message}"
    empty = [corpus_report.result("empty_grouped", e) for e in PARITY_ENGINES]  # no rows: agrees on nothing
    assert [r.status for r in empty] == ["empty"] * len(PARITY_ENGINES), [r.message for r in empty]
    grouped = [corpus_report.result("count_if_unknown_condition", e) for e in PARITY_ENGINES]
    assert [r.status for r in grouped] == ["pass"] * len(PARITY_ENGINES), [r.message for r in grouped]


def test_division_by_zero_is_ieee_everywhere_not_an_error(corpus_report):
    for engine in PARITY_ENGINES:
        result = corpus_report.result("divide_by_zero_ieee", engine)
        assert result.status == "pass", f"{engine}: {result.status}: {result.message}"
