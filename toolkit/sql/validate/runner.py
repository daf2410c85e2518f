"""`fedkit validate` core: which files, which engines, in how many processes; returns a Report (no printing).

Parallelism: each worker process pays its own start-up (imports, ZetaSQL module from the disk cache + catalog,
fakesnow import and empty tables, DuckDB tables: about 2-2.5 s) while a file costs about 100 ms for three engines
(`python -m bench validate`). Measured on this 2-core machine (busy, load ~8) with 85 KPI files: one process
19.6 s, two processes 26.1 s, so processes only pay on a machine with idle cores and a large suite: files are
spread over `min(cores, files // PARALLEL_MIN_FILES)` processes; `--jobs N` overrides, `--jobs 1` forces one.
A KPI file unchanged since a previous run (same bytes, config, gold schema, engines and fedkit) is answered from
`.fedkit/validate-cache.json` (`result_cache`) and costs no engine at all.
In one process, the checks that are mostly Python (Snowflake's, the Athena and Redshift stand-ins': their traits'
`validates_in_worker`) run in one worker process started with the run (toolkit.sql.validate.worker.offload): the
files go on while it answers, and results are reported in file order as its answers arrive.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from toolkit.errors import UsageError
from toolkit.sql.validate.model import Report, Result

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.validate.result_cache import ResultCache

PARALLEL_MIN_FILES = 60


@dataclass(frozen=True)
class Targets:
    kpi_files: tuple[Path, ...]
    ddl_templates: tuple[Path, ...]  # explicit DDL templates (empty: all, when `everything`)
    everything: bool  # no PATHS given: KPIs from the config + IAM + all DDL
    foreign_templates: tuple[Path, ...] = ()  # *.sql.j2 found in folders that are not fedkit's templates


def default_engines(loaded: "LoadedConfig") -> tuple[str, ...]:
    from toolkit.engines.registry import parse_engines

    return parse_engines(None, loaded)


def parse_engines(text: str | None, loaded: "LoadedConfig") -> tuple[str, ...]:
    """`--engines` as given (see registry.parse_engines); a named engine also needs its config section here, since
    validation resolves the table names the section defines."""
    from toolkit.engines.registry import parse_engines as parse_engine_names

    from toolkit.engines.registry import traits

    names = parse_engine_names(text, loaded)
    for name in names:
        section = traits(name).config_section
        if section is not None and getattr(loaded.config, section) is None:
            raise UsageError(f"--engines {name}: {loaded.path} has no {section} section, so table names are unknown")
    return names


def collect_targets(loaded: "LoadedConfig", paths: Iterable[Path]) -> Targets:
    """KPI `*.sql` files and DDL `*.sql.j2` templates from files and folders (recursively); default: config."""
    given = list(paths)
    everything = not given
    if everything:
        given = [loaded.resolve(p) for p in loaded.config.kpi.paths]
    configured = dict(zip(given, loaded.config.kpi.paths)) if everything else {}
    sql: list[Path] = []
    ddl: list[Path] = []
    named: list[Path] = []  # DDL templates named one by one (not found in a folder)
    for path in given:
        path = Path(path)
        if path.is_dir():
            found_sql = [p for p in path.rglob("*.sql") if p.is_file()]
            found_ddl = [p for p in path.rglob("*.sql.j2") if p.is_file() and not p.name.startswith("_")]
            if not everything and not found_sql and not found_ddl:
                # a typo'd or empty folder must not turn a CI check green by validating nothing
                raise UsageError(f"{path}: no SQL files in this folder (KPI *.sql or DDL *.sql.j2)")
            sql.extend(found_sql)
            ddl.extend(found_ddl)
        elif path.is_file() and path.name.endswith(".sql.j2"):
            named.append(path.resolve())
        elif path.is_file() and path.suffix.lower() == ".sql":
            sql.append(path)
        elif path.is_file():
            raise UsageError(f"{path}: not a SQL file; give KPI *.sql files, DDL *.sql.j2 templates or folders")
        elif everything and "paths" not in loaded.config.kpi.model_fields_set:
            continue  # the default sql/kpi of a config without kpi.paths: no KPIs yet, nothing to validate there
        elif everything:
            # kpi.paths names it: a typo, or fedkit run from another folder, must not turn CI green on nothing
            hint = loaded.missing_path_hint(configured.get(path, path))
            raise UsageError(f"{path}: no such KPI file or folder (kpi.paths in {loaded.path})"
                             f"{': ' + hint if hint else ''}")
        else:
            raise UsageError(f"{path}: no such file or folder")
    ours, foreign = _split_templates({p.resolve() for p in ddl} | set(named))
    for path in foreign:
        if path in named:
            raise UsageError(f"{path}: not a registration DDL template (those are in {_TEMPLATE_PLACES}); only they "
                             "are rendered and checked")
    if not everything and not sql and not ours:
        raise UsageError(f"nothing to validate: the *.sql.j2 files given are not registration DDL templates "
                         f"(those are in {_TEMPLATE_PLACES})")
    return Targets(tuple(sorted(set(sql))), ours, everything, foreign)


# Where registration templates are, as a reader knows them (never fedkit's install path).
_TEMPLATE_PLACES = "sql/ddl/<engine>/, named like the templates fedkit ships (fedkit:ddl/<engine>/*.sql.j2)"


def _is_registration_template(path: Path) -> bool:
    """fedkit's own template, or a project's `sql/ddl/<engine>/<name>.sql.j2` overriding one of them."""
    from toolkit.sql.ddl import TEMPLATE_DIR, project_template_dir

    if path.is_relative_to(TEMPLATE_DIR.resolve()):
        return True
    project = project_template_dir()
    if project is None or not path.is_relative_to(project.resolve()):
        return False
    return (TEMPLATE_DIR / path.relative_to(project.resolve())).is_file()


def _split_templates(templates: set[Path]) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(registration templates, others). Only those can be rendered: their variables come from the registration
    planners, so another *.sql.j2 is reported as not checked instead of silently skipped."""
    if not templates:
        return (), ()
    ours = tuple(sorted(p for p in templates if _is_registration_template(p)))
    return ours, tuple(sorted(p for p in templates if not _is_registration_template(p)))


def read_catalog_file(path: Path) -> "GoldCatalog":
    """A gold catalog snapshot written by `fedkit gold schema --output json` (for CI without the Parquet files)."""
    import json

    from toolkit.gold.model import GoldCatalog

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--catalog {path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"--catalog {path}: not JSON ({exc}); write it with `fedkit gold schema --output json`") from None
    try:
        catalog = GoldCatalog.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsageError(f"--catalog {path}: not a `fedkit gold schema --output json` document "
                         f"({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict) or not catalog.tables:
        raise UsageError(f"--catalog {path}: no tables; write it with `fedkit gold schema --output json`")
    from toolkit.gold.names import catalog_problem

    problem = catalog_problem(catalog)
    if problem:
        raise UsageError(f"--catalog {path}: {problem}")
    return catalog


def validate(
    loaded: "LoadedConfig",
    paths: Iterable[Path] = (),
    *,
    engines: tuple[str, ...] | None = None,
    online: bool = False,
    jobs: int | None = None,
    catalog: "GoldCatalog | None" = None,
    on_result: Callable[[Result], None] | None = None,
    select: Iterable[str] = (),
    online_optional: bool = False,
) -> Report:
    """Validate the targets on every engine; never raises for a failing file (UsageError for bad usage/config).

    `select` (`--select`: names, globs, `tag:x`) keeps only those KPIs, and then checks no DDL or IAM document.
    """
    from toolkit.sql.validate.files import FileValidator

    if catalog is None:
        catalog = _local_catalog(loaded)
    engines = engines or default_engines(loaded)
    targets = collect_targets(loaded, paths)
    started = time.perf_counter()
    cache = _open_cache(loaded, catalog, engines) if not online else None
    cached = _cached_results(cache, targets.kpi_files)
    # a cached file passed these checks with the same bytes, config and code
    _require_text(replace(targets, kpi_files=tuple(p for p in targets.kpi_files if p not in cached)))
    from toolkit.engines.registry import traits

    notes: list[str] = [limits for limits in (traits(e).offline_limits for e in engines) if limits]
    selectors = list(select)
    if selectors:
        targets = _selected(targets, selectors)
        notes.append(f"--select: {len(targets.kpi_files)} KPI(s) selected; DDL templates and IAM documents not checked")
    results: list[Result] = []
    if targets.foreign_templates:
        from toolkit.sql.validate.files import shown_path

        notes.append(f"{len(targets.foreign_templates)} *.sql.j2 files are not registration DDL templates "
                     f"(those are in {_TEMPLATE_PLACES}) and were not checked, e.g. "
                     f"{shown_path(targets.foreign_templates[0])}")

    def add(batch: Iterable[Result]) -> None:
        for result in batch:
            results.append(result)
            if on_result is not None:
                on_result(result)

    checks = None
    if online:
        from toolkit.sql.validate.online import OnlineChecks

        checks = OnlineChecks(loaded, engines, optional=online_optional)
        notes.extend(checks.notes)
    missing = tuple(p for p in targets.kpi_files if p not in cached)
    workers = worker_count(len(missing), jobs)
    try:
        if workers > 1 and checks is None:
            fresh = _parallel(loaded, catalog, engines, missing, workers)
            notes.append(f"{len(missing)} files validated in {workers} processes")
            by_file: dict[str, list[Result]] = {}
            for result in fresh:
                by_file.setdefault(result.file, []).append(result)
            for path in targets.kpi_files:
                add(cached[path] if path in cached else _stored(cache, path, by_file.get(_shown(path), [])))
        else:
            from collections import deque

            from toolkit.sql.compile import reusing
            from toolkit.sql.validate.files import Deferred, resolved

            from toolkit.sql.validate.worker import offload, preload_in_background

            away = offload(len(missing), jobs, checks)
            if not away and missing:
                preload_in_background(engines)
            validator = FileValidator(loaded, catalog, engines, offload=away)
            waiting: deque[tuple[Path, list[Any]]] = deque()  # in order; a worker's answers may still be coming

            def flush(wait: bool) -> None:
                while waiting and (wait or all(e.ready() for e in waiting[0][1] if isinstance(e, Deferred))):
                    path, entries = waiting.popleft()
                    add(entries if path in cached else _stored(cache, path, resolved(entries)))

            try:
                with reusing():  # one sqlglot schema of the catalog for every file
                    for path in targets.kpi_files:
                        waiting.append((path, cached[path] if path in cached else
                                        validator.validate(path, extra=checks, defer=True)))
                        flush(wait=False)
                    flush(wait=True)
            finally:
                validator.close()
        if cache is not None:
            cache.save()
            if cached:
                notes.append(f"{len(cached)} of {len(targets.kpi_files)} KPI files unchanged since a previous run "
                             f"(same file, config, gold schema and fedkit): results from {_shown(cache.path)}")
        wired = loaded.config.aws is not None  # registration and IAM exist only through the S3 role
        if (targets.everything or targets.ddl_templates) and wired:
            from toolkit.sql.validate.extras import ddl_results

            only = None if targets.everything else set(targets.ddl_templates)
            add(ddl_results(loaded, catalog, engines, only))
        elif targets.ddl_templates or (targets.everything and any(_traits(e).registers_tables for e in engines)):
            notes.append(f"registration DDL check skipped: {loaded.path} has no aws section (fedkit registers "
                         "tables through the AWS role it wires)")
        if targets.everything and wired:
            from toolkit.sql.validate.extras import iam_results

            add(iam_results(loaded))
        elif targets.everything:
            notes.append(f"IAM check skipped: {loaded.path} has no aws section (no role or policy to check)")
        if targets.everything and loaded.config.gold.relationships:
            from toolkit.sql.validate.extras import relationship_results

            add(relationship_results(loaded, catalog))
    finally:
        if checks is not None:
            checks.close()
    if not results:
        notes.append("nothing to validate: no SQL files found")
    notes.append(f"took {time.perf_counter() - started:.2f} s")
    return Report(tuple(results), tuple(notes))


def _local_catalog(loaded: "LoadedConfig") -> "GoldCatalog":
    """The schemas from gold.local_dir; when there is none (a CI runner has no Parquet), the error says how to give
    validate a committed snapshot instead."""
    from toolkit.gold.local_catalog_cache import read_local_catalog

    try:
        return read_local_catalog(loaded)
    except UsageError as exc:
        if "gold.local_dir is not set" not in exc.message and "does not exist" not in exc.message:
            raise
        raise UsageError(f"{exc.message}; without the Parquet (as in CI), validate against a committed snapshot: "
                         "`fedkit validate --catalog gold-schema.json` (written by `fedkit gold schema --output json` "
                         "where the gold layer is readable)") from None


def _selected(targets: Targets, selectors: list[str]) -> Targets:
    """Only the KPI files `--select` picks (by the names and tags in their headers)."""
    from toolkit.sql.kpi_files import load_kpi_file
    from toolkit.sql.kpi_select import select_kpis

    chosen = select_kpis([load_kpi_file(path) for path in targets.kpi_files], selectors)
    return Targets(kpi_files=tuple(k.path for k in chosen), ddl_templates=(), everything=False)


def _shown(path: Path) -> str:
    from toolkit.sql.validate.files import shown_path

    return shown_path(path)


def _open_cache(loaded: "LoadedConfig", catalog: "GoldCatalog", engines: tuple[str, ...]) -> "ResultCache | None":
    from toolkit.sql.validate import result_cache

    if not result_cache.enabled():
        return None
    return result_cache.ResultCache(result_cache.context_key(loaded, catalog, engines), engines)


def _cached_results(cache: "ResultCache | None", paths: tuple[Path, ...]) -> dict[Path, list[Result]]:
    if cache is None:
        return {}
    found = {}
    for path in paths:
        hit = cache.get(path, _shown(path))
        if hit is not None:
            found[path] = hit
    return found


def _stored(cache: "ResultCache | None", path: Path, results: list[Result]) -> list[Result]:
    if cache is not None:
        cache.put(path, results)
    return results


def _require_text(targets: Targets) -> None:
    """A file that is not UTF-8 text, is over the size limits (bytes, KPI tokens), or is a template fedkit will not render (a KPI using
    Jinja beyond `ref('table')`, a DDL template reaching for other templates) is bad input, not a SQL finding:
    refuse the run (exit 2) before validating."""
    if not targets.kpi_files and not targets.ddl_templates:
        return
    from toolkit.sql import safe_jinja
    from toolkit.sql.ddl import environment
    from toolkit.sql.kpi_files import check_kpi_tokens, read_sql_text
    from toolkit.sql.refs import check_kpi_template

    for path in targets.kpi_files:
        text = read_sql_text(path)
        check_kpi_tokens(text, path)
        check_kpi_template(text, str(path))
    for path in targets.ddl_templates:
        safe_jinja.parse(read_sql_text(path), str(path), environment())


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


def _traits(engine: str) -> Any:
    from toolkit.engines.registry import traits

    return traits(engine)
