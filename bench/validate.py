"""Benchmark: `fedkit validate` vs sqlfluff on the same files: whole processes, and per-query cost (same run).

    python -m bench validate            # or: python bench/validate.py [--runs N] [--repeat R] [--orders N] [--only M]

Whole processes (what a CI step pays): `--runs` alternating runs of `fedkit validate FILES` and `sqlfluff lint` (the
source dialect, the same ref-rendered files, its default rules) as subprocesses, each a cold interpreter with a warm
module cache (bytecode, in a pycache folder of its own even when PYTHONDONTWRITEBYTECODE is set; the compiled
ZetaSQL module) and fedkit's own on-disk caches warm (`.fedkit/`: the gold catalog, the per-file results), after
one untimed run of each. Also timed: fedkit with the result cache off
(`FEDKIT_VALIDATE_CACHE=0`: every file parsed, compiled and resolved on the three engines). Medians are reported:
the machine may be shared, and alternating the runs exposes both tools to the same load.

`--engines bigquery,snowflake,duckdb`: the three engines issue 13 names (the example config also has Athena and
Redshift). Beside the default (which picks by the machine's load), both ways are timed: the Snowflake check in
validate's worker process (FEDKIT_VALIDATE_WORKER=1) and everything in one process (`--jobs 1`). CPU s is the median
CPU time of the process and its children (the worker's included): what the run costs a machine whose cores are busy.

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
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each whole process")
    parser.add_argument("--repeat", type=int, default=3, help="passes of the per-query measurement")
    parser.add_argument("--orders", type=int, default=200, help="sample size (schemas matter, not rows)")
    parser.add_argument("--only", choices=("processes", "queries"), help="one of the two measurements")
    args = parser.parse_args(argv)
    if not files():
        print("no SQL files to validate under sql/kpi or tests/corpus/valid", file=sys.stderr)
        return 1
    if args.only != "queries":
        processes(args.runs, args.orders)
    if args.only != "processes":
        if args.only is None:
            print()
        return per_query(args.repeat, args.orders)
    return 0


def processes(runs: int, orders: int) -> None:
    """Median wall time of whole `fedkit validate` and `sqlfluff lint` processes over the same files."""
    import os
    import statistics
    import subprocess

    import sqlfluff

    from toolkit.config import load_config
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.refs import render_refs

    paths = files()
    with tempfile.TemporaryDirectory(prefix="fedkit-bench-") as tmp:
        root = Path(tmp)
        config = project(root, orders)
        loaded = load_config(config)
        catalog = read_catalog(loaded, "local")
        dialect = loaded.config.kpi.source_dialect
        rendered = root / "rendered"
        for path in paths:  # one folder per origin: two files may share a name
            target = rendered / path.parent.relative_to(REPO) / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_refs(path.read_text(encoding="utf-8"), "source", loaded, path=path,
                                          catalog=catalog), encoding="utf-8")
        env = {**os.environ, "FEDKIT_HOME": str(root / "home"), "PYTHONPATH": str(REPO)}
        env.pop("FEDKIT_VALIDATE_CACHE", None)
        # A warm module cache for both tools, even where the caller's environment forbids writing bytecode (CI and
        # sandboxes often set PYTHONDONTWRITEBYTECODE; every module was then compiled from source on every run):
        # the untimed runs write it, under the temporary folder rather than beside the sources.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        # the three engines issue 13 names (the example config also has athena: and redshift: sections)
        fedkit = [sys.executable, "-c", "from toolkit.cli import main; main()", "validate", "--config", str(config),
                  *map(str, paths), "--output", "json", "--engines", ",".join(ENGINES)]
        fluff = [sys.executable, "-m", "sqlfluff", "lint", "--dialect", dialect, "--nocolor", str(rendered)]
        commands = {
            "fedkit validate": (fedkit, env),
            "fedkit validate, no result cache": (fedkit, {**env, "FEDKIT_VALIDATE_CACHE": "0"}),
            # the two ways `validate` picks between by the machine's load: the Snowflake check in a worker process,
            # or in a thread of the one process (fakesnow imported in the background)
            "  worker process (forced)": (fedkit, {**env, "FEDKIT_VALIDATE_CACHE": "0", "FEDKIT_VALIDATE_WORKER": "1"}),
            "  one process (--jobs 1)": ([*fedkit, "--jobs", "1"], {**env, "FEDKIT_VALIDATE_CACHE": "0"}),
            "sqlfluff lint": (fluff, env),
        }

        def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
            """(wall s, CPU s of the process and the children it waited for: validate's worker process too)."""
            import resource

            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode not in (0, 1) or (command[:len(fedkit)] == fedkit and done.returncode != 0):
                raise SystemExit(f"{' '.join(command[:4])}… exited {done.returncode}: {done.stderr.strip()[-500:]}")
            return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

        for command, environment in commands.values():  # untimed: fills __pycache__ and fedkit's caches
            timed(command, environment)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, environment) in commands.items():
                wall, used = timed(command, environment)
                times[name].append(wall)
                cpu[name].append(used)

    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["sqlfluff lint"]
    print(f"whole processes: {len(paths)} files x {len(ENGINES)} engines for fedkit (--engines {','.join(ENGINES)}), "
          f"median of {runs} alternating runs, sqlfluff {sqlfluff.__version__} --dialect {dialect}")
    print(f"{'command':<36}{'median s':>10}{'min s':>9}{'max s':>9}{'CPU s':>8}{'sqlfluff / it':>15}")
    for name, values in times.items():
        print(f"{name:<36}{medians[name]:>10.2f}{min(values):>9.2f}{max(values):>9.2f}"
              f"{statistics.median(cpu[name]):>8.2f}{base / medians[name]:>15.2f}")
    ratio = base / medians["fedkit validate"]
    print(f"ratio: `fedkit validate` is {ratio:.2f}x faster than `sqlfluff lint` on the same files "
          f"({base / medians['fedkit validate, no result cache']:.2f}x with every file validated again: "
          f"{base / medians['  worker process (forced)']:.2f}x with a worker process, "
          f"{base / medians['  one process (--jobs 1)']:.2f}x in one process)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a worker process pays "
          "only beside this process: `validate` uses one while the load is below the cores)")


def per_query(repeat: int, orders: int) -> int:
    """Per-query cost of each engine's validator in this process, vs sqlfluff parsing the same text."""

    import sqlfluff

    from toolkit.config import load_config
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.refs import render_refs
    from toolkit.sql.validate.files import FileValidator

    paths = files()
    with tempfile.TemporaryDirectory(prefix="fedkit-bench-") as tmp:
        loaded = load_config(project(Path(tmp), orders))
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
            per_pass = best(repeat, lambda: [validator.validate(p) for p in paths])
            validator.close()
            rows.append((engine, startup, per_pass / len(paths), len(failed)))
            del first

        sources = [render_refs(p.read_text(encoding="utf-8"), "source", loaded, path=p, catalog=catalog)
                   for p in paths]
        sqlfluff.parse(sources[0], dialect=dialect)  # warm up its dialect tables
        fluff = best(repeat, lambda: [sqlfluff.parse(s, dialect=dialect) for s in sources]) / len(paths)

    total = sum(r[2] for r in rows)
    print(f"fedkit validate vs sqlfluff {sqlfluff.__version__} parse, {len(paths)} files, best of {repeat}")
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
