"""Benchmark: the KPI suite on DuckDB over ~10 million fact rows, fedkit's `kpi run` path vs DuckDB directly.

    python -m bench kpi                 # or: python bench/kpi.py [--rows N] [--repeat R] [--kpi NAME ...]

Both sides run the same compiled SQL over the same Parquet views, in this one process:
- fedkit: what `fedkit kpi run --engine duckdb` does per KPI: `compile_kpi` (refs, sqlglot, portability rules)
  then `DuckDBEngine.run` (Arrow result);
- duckdb: a plain `duckdb.connect()` with the same views, `con.sql(compiled_sql).to_arrow_table()`.
The ratio fedkit/duckdb is the toolkit's overhead (1.00 = none). Each KPI runs once to warm up, then the best of
`--repeat` runs is kept, sides alternating. The sample gold data is generated once into `.fedkit/bench/` and reused.
Prints a table; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(".fedkit") / "bench"
LINES_PER_ORDER = 1.32  # the sample generator's mean order lines per order


def gold_data(rows: int, seed: int, cache: Path) -> tuple[Path, dict[str, int]]:
    """The sample gold layer with about `rows` fact rows, generated once (a `.complete` marker guards reuse)."""
    from toolkit.gold.sample import write_sample

    orders = max(1, math.ceil(rows / LINES_PER_ORDER))
    folder = cache / f"kpi-gold-{orders}-seed{seed}"
    marker = folder / ".complete"
    if marker.is_file():
        return folder / "gold", json.loads(marker.read_text())
    print(f"generating the sample gold layer: {orders:,} orders (about {rows:,} fact rows) into {folder} ...",
          file=sys.stderr, flush=True)
    started = time.perf_counter()
    summary = write_sample(folder / "gold", orders=orders, seed=seed)
    marker.write_text(json.dumps(summary))
    print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder / "gold", summary


def write_config(folder: Path, gold: Path, kpi_paths: list[Path]) -> Path:
    path = folder / "federation.yaml"
    paths = ", ".join(str(p.resolve()) for p in kpi_paths)
    path.write_text(
        f"version: 1\ngold:\n  bucket: fedkit-bench\n  local_dir: {gold.resolve()}\n"
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n"
        f"kpi:\n  source_dialect: duckdb\n  paths: [{paths}]\n"
    )
    return path


def best_of(repeat: int, function: Callable[[], Any]) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def run(rows: int, repeat: int, seed: int, names: list[str], kpi_paths: list[Path], cache: Path) -> dict[str, Any]:
    import duckdb

    from toolkit.config import load_config
    from toolkit.engines.duckdb import SESSION_TIME_ZONE, DuckDBEngine, parquet_view_sql
    from toolkit.sql import suite
    from toolkit.sql.compile import compile_kpi

    gold, summary = gold_data(rows, seed, cache)
    loaded = load_config(write_config(gold.parent, gold, kpi_paths))
    kpis = suite.load_suite(loaded, names)
    catalog = suite.suite_catalog(loaded)

    started = time.perf_counter()
    engine = DuckDBEngine(loaded, catalog=catalog)
    engine_setup = time.perf_counter() - started
    started = time.perf_counter()
    direct = duckdb.connect(":memory:")
    direct.execute(f"SET TimeZone = '{SESSION_TIME_ZONE}'")
    for table in catalog.tables:
        direct.execute(parquet_view_sql(table))
    direct_setup = time.perf_counter() - started

    results = []
    try:
        for kpi in kpis:
            compiled = compile_kpi(kpi, "duckdb", loaded, catalog)

            def fedkit_path(kpi=kpi):  # the `kpi run` path: compile, then the engine
                return engine.run(compile_kpi(kpi, "duckdb", loaded, catalog).sql)

            def duckdb_path(sql=compiled.sql):
                return direct.sql(sql).to_arrow_table()

            fedkit_path(), duckdb_path()  # warm up (file metadata, caches)
            fedkit_best = duckdb_best = math.inf
            compile_best, _ = best_of(repeat, lambda kpi=kpi: compile_kpi(kpi, "duckdb", loaded, catalog))
            for attempt in range(repeat):  # alternate which side goes first (caches, CPU frequency)
                sides = [("fedkit", fedkit_path), ("duckdb", duckdb_path)]
                for side, function in sides if attempt % 2 == 0 else sides[::-1]:
                    seconds, result = best_of(1, function)
                    if side == "fedkit":
                        fedkit_best, table = min(fedkit_best, seconds), result
                    else:
                        duckdb_best, direct_table = min(duckdb_best, seconds), result
            if table.num_rows != direct_table.num_rows:
                raise SystemExit(f"{kpi.name}: fedkit returned {table.num_rows} rows, DuckDB {direct_table.num_rows}")
            results.append({"kpi": kpi.name, "rows": table.num_rows, "fedkit_s": fedkit_best, "duckdb_s": duckdb_best,
                            "compile_s": compile_best, "ratio": fedkit_best / duckdb_best})
    finally:
        engine.close()
        direct.close()
    fedkit_total = sum(r["fedkit_s"] for r in results)
    duckdb_total = sum(r["duckdb_s"] for r in results)
    return {"fact_rows": summary.get("fact_sales"), "repeat": repeat, "kpis": results,
            "fedkit_total_s": fedkit_total, "duckdb_total_s": duckdb_total,
            "ratio": fedkit_total / duckdb_total if duckdb_total else math.nan,
            "setup_s": {"fedkit": engine_setup, "duckdb": direct_setup}}


def print_table(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"KPI suite on DuckDB over {report['fact_rows']:,} fact rows (best of {report['repeat']})",
                  title_justify="left")
    for column, justify in (("KPI", "left"), ("rows", "right"), ("fedkit ms", "right"), ("duckdb ms", "right"),
                            ("compile ms", "right"), ("ratio", "right")):
        table.add_column(column, justify=justify)
    for r in report["kpis"]:
        table.add_row(r["kpi"], f"{r['rows']:,}", f"{r['fedkit_s'] * 1000:.1f}", f"{r['duckdb_s'] * 1000:.1f}",
                      f"{r['compile_s'] * 1000:.1f}", f"{r['ratio']:.2f}")
    table.add_section()
    table.add_row("whole suite", "", f"{report['fedkit_total_s'] * 1000:.1f}", f"{report['duckdb_total_s'] * 1000:.1f}",
                  f"{sum(r['compile_s'] for r in report['kpis']) * 1000:.1f}", f"[bold]{report['ratio']:.2f}[/]")
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)  # piped: do not cut KPI names at 80 columns
    console.print(table)
    setup = report["setup_s"]
    console.print(f"setup (views over the Parquet, once): fedkit {setup['fedkit'] * 1000:.0f} ms, "
                  f"duckdb {setup['duckdb'] * 1000:.0f} ms. ratio = fedkit / duckdb (1.00 = no overhead).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench kpi", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="fact rows to generate (default 10 million)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per KPI and side; the best is kept")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--kpi", action="append", default=[], help="only this KPI (repeatable)")
    parser.add_argument("--paths", nargs="*", type=Path, default=[REPO / "sql" / "kpi"], help="KPI files or folders")
    parser.add_argument("--cache", type=Path, default=CACHE, 
                        help="where generated data is kept (default .fedkit/bench)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    args.cache.mkdir(parents=True, exist_ok=True)
    report = run(args.rows, args.repeat, args.seed, args.kpi, args.paths, args.cache)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    sys.exit(main())
