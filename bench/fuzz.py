"""Differential fuzzer: generated KPI-shaped queries, DuckDB (source) vs ZetaSQL (BigQuery), shrunk failures.

    python -m bench fuzz --seed S --queries N [--seeds K] [--no-shrink] [--gaps none]

For each seed (S .. S+K-1): N queries from `toolkit.sql.fuzz` over NULL-rich tables generated from that seed with
the sample gold schema; each is compiled for BigQuery, Snowflake and DuckDB, run on DuckDB (the truth), on ZetaSQL's
reference evaluator (BigQuery's semantics) and on DuckDB again (compiled text), compared with parity's comparison.
Prints queries generated, constructs covered (the grammar's names and sqlglot node types), refusals, failures
(each shrunk to a minimal query, with the seed, both results) and time. Exit 1 when any query failed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter


def _print_failure(failure) -> None:
    from toolkit.sql.parity.compare import format_row

    minimal = failure.minimal
    kind, engine = (minimal.signature or ("?", "?"))[:2]
    print(f"  FAIL seed {failure.seed} query {failure.index}: {kind} on {engine}: {minimal.message}")
    print(f"    minimal source (duckdb): {minimal.source_sql}")
    print(f"    compiled ({engine}):     {minimal.compiled_sql}")
    print(f"    duckdb (truth):          {', '.join(format_row(r) for r in minimal.truth_rows[:3]) or '-'}")
    print(f"    {engine + ':':<24} {', '.join(format_row(r) for r in minimal.engine_rows[:3]) or '-'}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=200, help="queries per seed (default 200)")
    parser.add_argument("--seeds", type=int, default=1, help="how many consecutive seeds (default 1)")
    parser.add_argument("--no-shrink", action="store_true", help="report failures as generated")
    parser.add_argument("--gaps", choices=("known", "none"), default="known",
                        help="'none' also generates the constructs of KNOWN_GAPS (expect failures)")
    args = parser.parse_args(argv)

    from toolkit.sql.fuzz.catalog import gold_catalog
    from toolkit.sql.fuzz.gaps import KNOWN_GAPS
    from toolkit.sql.fuzz.runner import run_fuzz

    gaps = frozenset(KNOWN_GAPS) if args.gaps == "known" else frozenset()
    catalog = gold_catalog()
    totals: Counter = Counter()
    constructs: Counter = Counter()
    nodes: Counter = Counter()
    reasons: Counter = Counter()
    failures = []
    seconds = 0.0
    for seed in range(args.seed, args.seed + args.seeds):
        report = run_fuzz(seed, args.queries, catalog=catalog, gaps=gaps, shrink_failures=not args.no_shrink)
        print(f"seed {seed}: {report.queries} queries, {report.passed} passed, {report.refused} with a refusal, "
              f"{len(report.failures)} failed, {len(report.invalid)} invalid, {report.seconds:.1f} s", flush=True)
        totals.update(queries=report.queries, passed=report.passed, refused=report.refused,
                      failed=len(report.failures), invalid=len(report.invalid))
        constructs.update(report.constructs)
        nodes.update(report.node_types)
        reasons.update(report.refusal_reasons)
        failures.extend(report.failures)
        seconds += report.seconds
        for line in report.invalid[:5]:
            print(f"  INVALID (generator bug) {line}")
    print()
    print(f"queries generated:   {totals['queries']} ({args.seeds} seed(s) from {args.seed})")
    print(f"constructs covered:  {len(constructs)} grammar constructs, {len(nodes)} distinct sqlglot node types / "
          f"function names")
    print(f"  {', '.join(f'{name} {count}' for name, count in sorted(constructs.items()))}")
    print(f"refusals:            {totals['refused']} queries refused on at least one engine (not failures)")
    for reason, count in reasons.most_common(8):
        print(f"  {count:5}  {reason}")
    print(f"failures:            {totals['failed']}   invalid sources (generator bugs): {totals['invalid']}")
    print(f"excluded (KNOWN_GAPS): {', '.join(f'{k} ({v})' for k, v in sorted(KNOWN_GAPS.items())) if gaps else 'none'}")
    print(f"time:                {seconds:.1f} s ({1000 * seconds / max(totals['queries'], 1):.0f} ms a query, "
          "shrinking included; a busy machine: compare runs in one process)")
    for failure in failures:
        _print_failure(failure)
    return 1 if failures or totals["invalid"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
