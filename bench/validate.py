"""Benchmark: `fedkit validate` per-query cost on each engine vs sqlfluff parsing the same files (same run).

    python -m bench validate            # or: python bench/validate.py [--repeat R] [--orders N]

Files: the repository's KPI suite (`sql/kpi/*.sql`) and the valid corpus (`tests/corpus/valid/*.sql`), over a small
generated sample gold layer (schemas are what matter; the data is never read). For each engine the validator is
built and warmed once (start-up is reported separately: ZetaSQL module + catalog registration, fakesnow import
and empty tables, DuckDB empty tables), then the best of `--repeat` passes over all files gives the per-query
cost: parse + compile (sqlglot, portability rules) + resolve (ZetaSQL analyze / qualifier + fakesnow LIMIT 0 /
DuckDB EXPLAIN) + position mapping. sqlfluff (a peer CI SQL tool) parses the same ref-rendered SQL in the
source dialect, best of `--repeat`. Prints a table and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("bigquery", "snowflake", "duckdb")


def project(root: Path, orders: int) -> Path:
    from toolkit.gold.sample import write_sample

    write_sample(root / "gold", orders=orders)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    config = root / "federation.yaml"
    config.write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}"), encoding="utf-8")
    return config


def files() -> list[Path]:
    return sorted((REPO / "sql" / "kpi").glob("*.sql")) + sorted((REPO / "tests" / "corpus" / "valid").glob("*.sql"))


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench validate", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orders", type=int, default=200, help="sample size (schemas matter, not rows)")
    args = parser.parse_args(argv)

    import sqlfluff

    from toolkit.config import load_config
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.refs import render_refs
    from toolkit.sql.validate.files import FileValidator

    paths = files()
    if not paths:
        print("no SQL files to validate under sql/kpi or tests/corpus/valid", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="fedkit-bench-") as tmp:
        loaded = load_config(project(Path(tmp), args.orders))
        catalog = read_catalog(loaded, "local")
        dialect = loaded.config.kpi.source_dialect

        started = time.perf_counter()
        from toolkit.sql.zetasql_service import ZetaSQL

        zeta = ZetaSQL.get()
        zeta_load = time.perf_counter() - started

        rows = []
        for engine in ENGINES:
            validator = FileValidator(loaded, catalog, (engine,))
            started = time.perf_counter()
            first = validator.validate(paths[0])  # builds the engine's state: ZetaSQL catalog, fakesnow, DuckDB
            startup = time.perf_counter() - started
            failed = [r for p in paths for r in validator.validate(p) if not r.ok]
            per_pass = best(args.repeat, lambda: [validator.validate(p) for p in paths])
            validator.close()
            rows.append((engine, startup, per_pass / len(paths), len(failed)))
            del first

        sources = [render_refs(p.read_text(encoding="utf-8"), "source", loaded, path=p, catalog=catalog)
                   for p in paths]
        sqlfluff.parse(sources[0], dialect=dialect)  # warm up its dialect tables
        fluff = best(args.repeat, lambda: [sqlfluff.parse(s, dialect=dialect) for s in sources]) / len(paths)

    total = sum(r[2] for r in rows)
    print(f"fedkit validate vs sqlfluff {sqlfluff.__version__} parse, {len(paths)} files, best of {args.repeat}")
    print(f"ZetaSQL service load (compiled module from the disk cache: {zeta.loaded_from}): {zeta_load * 1000:.0f} ms")
    print()
    print(f"{'engine':<12}{'start-up ms':>14}{'per query ms':>15}{'x sqlfluff':>13}{'failures':>10}")
    for engine, startup, per_query, failures in rows:
        print(f"{engine:<12}{startup * 1000:>14.0f}{per_query * 1000:>15.1f}{per_query / fluff:>13.2f}{failures:>10}")
    print(f"{'all three':<12}{sum(r[1] for r in rows) * 1000:>14.0f}{total * 1000:>15.1f}{total / fluff:>13.2f}")
    print(f"{'sqlfluff':<12}{'':>14}{fluff * 1000:>15.1f}{1:>13.2f}")
    print()
    print(f"ratio: validating a query on all three engines costs {total / fluff:.2f}x sqlfluff parsing it "
          f"({'faster' if total < fluff else 'slower'} than parsing alone with sqlfluff)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main(sys.argv[1:]))
