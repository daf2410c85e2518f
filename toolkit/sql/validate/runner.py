"""`fedkit validate` core: which files, which engines, in how many processes; returns a Report (no printing).

Parallelism: each worker process pays its own start-up (imports, ZetaSQL module from the disk cache + catalog,
fakesnow import and empty tables, DuckDB tables: about 2-2.5 s) while a file costs about 100 ms for three engines
(`python -m bench validate`). Measured on this 2-core machine (busy, load ~8) with 85 KPI files: one process
19.6 s, two processes 26.1 s, so processes only pay on a machine with idle cores and a large suite: files are
spread over `min(cores, files // PARALLEL_MIN_FILES)` processes; `--jobs N` overrides, `--jobs 1` forces one.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from toolkit.errors import UsageError
from toolkit.sql.validate.model import Report, Result

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog

ENGINES = ("bigquery", "snowflake", "duckdb")
PARALLEL_MIN_FILES = 60


@dataclass(frozen=True)
class Targets:
    kpi_files: tuple[Path, ...]
    ddl_templates: tuple[Path, ...]  # explicit DDL templates (empty: all, when `everything`)
    everything: bool  # no PATHS given: KPIs from the config + IAM + all DDL


def default_engines(loaded: "LoadedConfig") -> tuple[str, ...]:
    config = loaded.config
    return tuple(e for e in ENGINES if e == "duckdb" or getattr(config, e) is not None)


def parse_engines(text: str | None, loaded: "LoadedConfig") -> tuple[str, ...]:
    if not text:
        return default_engines(loaded)
    names = [p.strip().lower() for p in text.split(",") if p.strip()]
    for name in names:
        if name not in ENGINES:
            raise UsageError(f"--engines: unknown engine {name!r}; use one or more of {', '.join(ENGINES)}")
        if name != "duckdb" and getattr(loaded.config, name) is None:
            raise UsageError(f"--engines {name}: {loaded.path} has no {name} section, so table names are unknown")
    return tuple(dict.fromkeys(names))


def collect_targets(loaded: "LoadedConfig", paths: Iterable[Path]) -> Targets:
    """KPI `*.sql` files and DDL `*.sql.j2` templates from files and folders (recursively); default: config."""
    given = list(paths)
    everything = not given
    if everything:
        given = [loaded.resolve(p) for p in loaded.config.kpi.paths]
    sql: list[Path] = []
    ddl: list[Path] = []
    for path in given:
        path = Path(path)
        if path.is_dir():
            sql.extend(p for p in path.rglob("*.sql") if p.is_file())
            ddl.extend(p for p in path.rglob("*.sql.j2") if p.is_file() and not p.name.startswith("_"))
        elif path.is_file() and path.name.endswith(".sql.j2"):
            ddl.append(path)
        elif path.is_file():
            sql.append(path)
        elif everything:
            continue  # a configured KPI folder that does not exist yet: nothing to validate there
        else:
            raise UsageError(f"{path}: no such file or folder")
    return Targets(tuple(sorted(set(sql))), tuple(sorted({p.resolve() for p in ddl})), everything)


def validate(
    loaded: "LoadedConfig",
    paths: Iterable[Path] = (),
    *,
    engines: tuple[str, ...] | None = None,
    online: bool = False,
    jobs: int | None = None,
    catalog: "GoldCatalog | None" = None,
    on_result: Callable[[Result], None] | None = None,
) -> Report:
    """Validate the targets on every engine; never raises for a failing file (UsageError for bad usage/config)."""
    from toolkit.sql.validate.files import FileValidator

    if catalog is None:
        from toolkit.gold.schema import read_catalog

        catalog = read_catalog(loaded, "local")
    engines = engines or default_engines(loaded)
    targets = collect_targets(loaded, paths)
    notes: list[str] = []
    results: list[Result] = []

    def add(batch: Iterable[Result]) -> None:
        for result in batch:
            results.append(result)
            if on_result is not None:
                on_result(result)

    checks = None
    if online:
        from toolkit.sql.validate.online import OnlineChecks

        checks = OnlineChecks(loaded, engines)
        notes.extend(checks.notes)
    workers = worker_count(len(targets.kpi_files), jobs)
    started = time.perf_counter()
    try:
        if workers > 1 and checks is None:
            add(_parallel(loaded, catalog, engines, targets.kpi_files, workers))
            notes.append(f"{len(targets.kpi_files)} files validated in {workers} processes")
        else:
            validator = FileValidator(loaded, catalog, engines)
            try:
                for path in targets.kpi_files:
                    add(validator.validate(path, extra=checks))
            finally:
                validator.close()
        if targets.everything or targets.ddl_templates:
            from toolkit.sql.validate.extras import ddl_results

            only = None if targets.everything else set(targets.ddl_templates)
            add(ddl_results(loaded, catalog, engines, only))
        if targets.everything:
            from toolkit.sql.validate.extras import iam_results

            add(iam_results(loaded))
    finally:
        if checks is not None:
            checks.close()
    if not results:
        notes.append("nothing to validate: no SQL files found")
    notes.append(f"took {time.perf_counter() - started:.2f} s")
    return Report(tuple(results), tuple(notes))


def worker_count(files: int, jobs: int | None) -> int:
    if jobs is not None:
        if jobs < 1:
            raise UsageError(f"--jobs must be at least 1 (got {jobs})")
        return max(1, min(jobs, files or 1))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, files // PARALLEL_MIN_FILES))


# -- processes ---------------------------------------------------------------------------------------------------------
_WORKER: "object | None" = None


def _init_worker(config_path: str, cwd: str, catalog_json: dict, engines: tuple[str, ...]) -> None:
    global _WORKER
    from toolkit.config import load_config
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.validate.files import FileValidator

    os.chdir(cwd)
    _WORKER = FileValidator(load_config(config_path), GoldCatalog.from_json(catalog_json), engines)


def _work(paths: list[str]) -> list[Result]:
    assert _WORKER is not None
    results: list[Result] = []
    for path in paths:
        results.extend(_WORKER.validate(Path(path)))  # type: ignore[attr-defined]
    return results


def _parallel(loaded: "LoadedConfig", catalog: "GoldCatalog", engines: tuple[str, ...], files: tuple[Path, ...],
              workers: int) -> list[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [[str(p) for p in files[i::workers]] for i in range(workers)]
    context = multiprocessing.get_context("spawn")  # no fork of a process holding a WASM store and DuckDB
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(str(loaded.path.resolve()), os.getcwd(), catalog.to_json(), engines)) as pool:
        parts = list(pool.map(_work, chunks))
    order = {str(p): i for i, p in enumerate(files)}
    merged = [r for part in parts for r in part]
    from toolkit.sql.validate.files import shown_path

    rank = {shown_path(Path(p)): i for p, i in order.items()}
    return sorted(merged, key=lambda r: (rank.get(r.file, 0), engines.index(r.engine) if r.engine in engines else 9))
