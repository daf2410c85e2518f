"""Run the KPI suite on every oracle over the same (sampled) data and compare each engine with the reference.

The reference is the KPI **as written**: its source SQL (refs rendered to bare names, no portability rule) run by
the oracle of the configured source dialect (DuckDB for the default `duckdb`). That is the meaning the author
wrote down; every engine's compiled SQL, DuckDB's included, must give the same rows. A majority vote was rejected:
two engines sharing a sqlglot translation bug (fakesnow runs on sqlglot) could outvote the correct one.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from toolkit.errors import FedkitError, UsageError
from toolkit.engines.registry import engines_that
from toolkit.sql.parity.compare import OrderSpec, compare_tables, order_spec
from toolkit.sql.parity.empty import empty_reason, vacuous
from toolkit.sql.parity.result_types import intended
from toolkit.sql.parity.lanes import PARALLEL_LANES, Budget, Progress, Tracker, run_lanes
from toolkit.sql.parity.model import EngineResult, KpiRun, OracleInfo, ParityReport
from toolkit.sql.parity.oracle import OracleError, first_line, make_oracle, oracle_class

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.kpi_files import KpiFile
    from toolkit.sql.parity.oracle import Oracle
    from toolkit.sql.parity.result_types import Accepted
    from toolkit.sql.parity.sample import Sample

PARITY_ENGINES = engines_that(lambda t: t.oracle is not None)  # the engines with a parity oracle
DEFAULT_SAMPLE_ROWS = 2000  # fact rows; the ZetaSQL evaluator runs about 3,000 rows/s
DEFAULT_TIMEOUT = 60.0  # seconds per KPI per oracle


def read_gold_data(catalog: "GoldCatalog") -> dict[str, "pa.Table"]:
    from toolkit.gold.data import read_table_data

    return {table.name: read_table_data(table) for table in catalog.tables}


def _oracle_options(engine: str, loaded: "LoadedConfig") -> dict[str, object]:
    from toolkit.engines.registry import traits

    return traits(engine).oracle_options(loaded)


def _require_sections(engines: Iterable[str], loaded: "LoadedConfig") -> None:
    from toolkit.engines.registry import traits

    for engine in engines:
        section = traits(engine).config_section
        if section is not None and getattr(loaded.config, section) is None:
            raise UsageError(f"{loaded.path}: parity on {engine} compiles with the {section}: section of the config; "
                             f"add it or leave {engine} out of --engines")


def run_parity(
    loaded: "LoadedConfig",
    engines: Sequence[str] | None = None,
    sample_rows: int | None = DEFAULT_SAMPLE_ROWS,
    kpi_names: Iterable[str] = (),
    paths: Iterable[Path] = (),
    *,
    seed: int = 42,
    catalog: "GoldCatalog | None" = None,
    data: Mapping[str, "pa.Table"] | None = None,
    kpis: list["KpiFile"] | None = None,
    progress: Progress | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    parallel: bool = PARALLEL_LANES,
) -> ParityReport:
    """Parity of the KPI suite (or `kpi_names`, or the files under `paths`) on `engines` over one sample.

    Each oracle call gets `timeout` seconds (None: unbounded); one that runs past is stopped and reported `timeout`.
    References run first (the source oracle), then one lane per engine; `parallel` runs the lanes on threads.
    `progress(done, total, label)` is called after every reference and every KPI x engine, with its status and time.
    """
    from toolkit.sql import suite
    from toolkit.sql.parity.sample import sample_tables
    from toolkit.sql.refs import table_names_for

    started = time.perf_counter()
    from toolkit.engines.registry import parse_engines

    engines = parse_engines(list(engines) if engines is not None else None, loaded)
    _require_sections(engines, loaded)
    kpis = kpis if kpis is not None else suite.load_suite(loaded, kpi_names, paths)
    catalog = catalog or suite.suite_catalog(loaded)
    from toolkit.sql.parity.keys import key_hints

    hints = key_hints(loaded, catalog, kpis)  # checks gold.relationships before any data is read
    tracker = Tracker(progress, len(kpis) * (len(engines) + 1))
    with tracker.ongoing("reading and sampling the gold tables"):
        sample = sample_tables(data if data is not None else read_gold_data(catalog), sample_rows or None, seed,
                               hints=hints)
    source = loaded.config.kpi.source_dialect

    def new_oracle(engine: str, prepare: bool = True) -> "Oracle":
        oracle = make_oracle(engine, table_names_for(engine, loaded, catalog.names), **_oracle_options(engine, loaded))
        if prepare:
            _prepare(oracle, sample)
        return oracle

    oracles: dict[str, "Oracle"] = {e: new_oracle(e, prepare=False) for e in dict.fromkeys([*engines, source])}
    report = ParityReport(
        engines=tuple(engines),
        oracles={e: OracleInfo(e, oracle_class(e).description, oracle_class(e).independent) for e in oracles},
        reference=f"the KPI source SQL as written ({source} dialect, no portability rule) on the {source} oracle",
        sample=sample.describe(),
        keys=sample.keys(),
        relative_tolerance=loaded.config.kpi.relative_tolerance,
    )
    bound = Budget(timeout)
    try:
        _announce_compile(oracles, tracker)
        for oracle in oracles.values():
            _prepare(oracle, sample)
        for kpi in kpis:
            run = _reference(kpi, loaded, catalog, sample, oracles[source], bound)
            if run.timed_out or run.abandoned:
                oracles[source] = _replace(oracles, source, run.abandoned, new_oracle)
            report.kpis.append(run)
            status = "timeout" if run.timed_out else "error" if run.reference is None else "empty" if run.empty else "ok"
            tracker.done(f"{kpi.name} reference ({source}): {status}", run.seconds)

        def lane(engine: str) -> list[EngineResult]:
            results = []
            for kpi, run in zip(kpis, report.kpis):
                result = _engine_result(kpi, engine, run, loaded, catalog, sample, oracles[engine],
                                        report.relative_tolerance, bound, reference_oracle=oracles[source])
                if result.interrupted:
                    oracles[engine] = _replace(oracles, engine, result.abandoned, new_oracle)
                results.append(result)
                tracker.done(f"{kpi.name} {engine}: {result.status}", result.seconds)
            return results

        by_engine = run_lanes(list(engines), lane, parallel)
        order = {kpi.name: i for i, kpi in enumerate(kpis)}
        report.results = sorted((r for e in engines for r in by_engine[e]),
                                key=lambda r: (order[r.kpi], engines.index(r.engine)))
        tracker.finish()
    finally:
        for oracle in oracles.values():
            oracle.close()
    report.seconds = time.perf_counter() - started
    return report


def _prepare(oracle: "Oracle", sample: "Sample") -> None:
    """Load the sample into the oracle outside any time budget; a failure shows up again in the first query."""
    prepare = getattr(oracle, "prepare", None)
    if prepare is not None:
        try:
            prepare(sample.tables)
        except Exception:  # reported by the query that needs the table, with the engine's message
            pass


def _announce_compile(oracles: Mapping[str, "Oracle"], tracker: "Tracker") -> None:
    """An oracle's first use may have a one-off cost (the BigQuery oracle compiles ZetaSQL's WASM module, cached
    afterwards): each engine says so, with roughly how long, before the minutes of silence, and pays it now rather than
    inside the first KPI's time budget."""
    from toolkit.engines.registry import traits

    for engine in oracles:
        with tracker.ongoing(f"preparing the {engine} oracle", announce=False):
            traits(engine).oracle_warmup(tracker.note)


def _replace(oracles: dict[str, "Oracle"], engine: str, abandoned: bool, new_oracle: Callable[[str], "Oracle"]) -> "Oracle":
    """A fresh oracle for `engine` after a timeout: the interrupted one may be mid-query (or still running, when it
    did not stop: it is then left to its daemon thread, not closed under it)."""
    old = oracles[engine]
    if not abandoned:
        old.close()
    return new_oracle(engine)


def _reference(kpi: "KpiFile", loaded: "LoadedConfig", catalog: "GoldCatalog", sample: "Sample",
               oracle: "Oracle", bound: "Budget | None" = None) -> KpiRun:
    from toolkit.sql.compile import bare_table_names
    from toolkit.sql.refs import render_refs

    bound = bound or Budget(None)
    source = loaded.config.kpi.source_dialect
    common = {"name": kpi.name, "description": kpi.description, "path": str(kpi.path)}
    try:
        sql = render_refs(kpi.text, "source", loaded, path=kpi.path, catalog=catalog)
    except FedkitError as exc:
        return KpiRun(**common, reference_error=exc.message)
    sql = bare_table_names(sql, source, catalog)  # `shop.orders` names the gold table, as compilation reads it
    order = order_spec(sql, source)
    outcome = bound.run(oracle, sql, sample.tables)
    if outcome.timed_out:
        why = f"{source} (source SQL): {bound.past(outcome.abandoned)}"
        return KpiRun(**common, order=order, reference_error=why,
                      timed_out=True, abandoned=outcome.abandoned, seconds=outcome.seconds)
    if outcome.error is not None:
        return KpiRun(**common, order=order, reference_error=f"{source} (source SQL): {_message(outcome.error)}",
                      seconds=outcome.seconds)
    reference = outcome.value
    what = vacuous(reference)
    empty = empty_reason(what, sql, source, lambda probe: _count(oracle, probe, sample, bound)) if what else None
    return KpiRun(**common, order=order, reference=reference, empty=empty, seconds=outcome.seconds)


def _message(error: BaseException) -> str:
    if isinstance(error, FedkitError):
        return error.message
    return f"{type(error).__name__}: {first_line(error)}"  # an oracle bug must not hide the other results


def _count(oracle: "Oracle", sql: str, sample: "Sample", bound: "Budget") -> int | None:
    """The single count a probe query returns, or None when the oracle refuses it or runs past the budget (the
    reason is then generic: a probe is a diagnosis, never a new failure)."""
    outcome = bound.run(oracle, sql, sample.tables)
    if outcome.timed_out or outcome.error is not None:
        return None
    table = outcome.value
    value = table.column(0)[0].as_py() if table.num_rows == 1 and table.num_columns == 1 else None
    return value if isinstance(value, int) else None


def _engine_result(kpi: "KpiFile", engine: str, run: KpiRun, loaded: "LoadedConfig", catalog: "GoldCatalog",
                   sample: "Sample", oracle: "Oracle", tolerance: float, bound: "Budget | None" = None,
                   reference_oracle: "Oracle | None" = None) -> EngineResult:
    from toolkit.sql.compile import compile_kpi

    bound = bound or Budget(None)
    try:
        compiled = compile_kpi(kpi, engine, loaded, catalog)
    except FedkitError as exc:
        return EngineResult(kpi.name, engine, "error", message=f"compile: {exc.message}")
    outcome = bound.run(oracle, compiled.sql, sample.tables)
    seconds = outcome.seconds
    if outcome.timed_out:
        return EngineResult(kpi.name, engine, "timeout", message=f"{engine}: {bound.past(outcome.abandoned)}",
                            sql=compiled.sql, seconds=seconds, interrupted=True, abandoned=outcome.abandoned)
    if outcome.error is not None:
        return EngineResult(kpi.name, engine, "error", message=_message(outcome.error), sql=compiled.sql,
                            seconds=seconds)
    table = outcome.value
    if run.timed_out:
        return EngineResult(kpi.name, engine, "timeout", table.num_rows,
                            f"nothing to compare with: the reference {run.reference_error}", sql=compiled.sql,
                            seconds=seconds)
    if run.reference is None:
        return EngineResult(kpi.name, engine, "error", table.num_rows,
                            f"no reference to compare with: {run.reference_error}", sql=compiled.sql, seconds=seconds)
    accepted = oracle_accepted(oracle, reference_oracle) | intended(compiled.notes)
    return _judge(kpi.name, engine, run.reference, table, run, accepted, tolerance, compiled.sql, seconds)


def oracle_accepted(oracle: "Oracle", reference_oracle: "Oracle | None" = None) -> "Accepted":
    """Type differences an oracle is known to get wrong (and says so in its description): on the engine's side as
    declared, and mirrored when that oracle computed the reference (a Snowflake-source suite's reference is fakesnow,
    whose DOUBLE sums then stand where the other engines rightly keep decimals)."""
    accepted = frozenset(getattr(oracle, "accepted_types", frozenset()))
    if reference_oracle is not None:
        accepted |= {(engine_side, reference_side) for reference_side, engine_side in
                     getattr(reference_oracle, "accepted_types", frozenset())}
    return accepted


def _judge(name: str, engine: str, reference: "pa.Table", table: "pa.Table", run: KpiRun | None, accepted: "Accepted",
           tolerance: float, sql: str | None, seconds: float = 0.0) -> EngineResult:
    """The verdict on one engine's rows: values first (mismatch), then column types (type-mismatch), then whether
    the agreed answer says anything at all (empty)."""
    from toolkit.sql.parity.result_types import type_message, type_problems

    order = run.order if run is not None else OrderSpec()
    comparison = compare_tables(reference, table, order=order, relative_tolerance=tolerance, engine=engine)
    if not comparison.passed:
        return EngineResult(name, engine, comparison.status, table.num_rows, comparison.message, comparison, sql,
                            seconds)
    problems = type_problems(reference.schema, table.schema, accepted)
    if problems:
        return EngineResult(name, engine, "type-mismatch", table.num_rows, type_message(engine, problems), comparison,
                            sql, seconds, tuple(problems))
    if run is not None and run.empty:  # agreeing on nothing proves nothing
        return EngineResult(name, engine, "empty", table.num_rows, run.empty, comparison, sql, seconds)
    return EngineResult(name, engine, "pass", table.num_rows, "", comparison, sql, seconds)


def check_sql(
    source_sql: str,
    engine_sql: str,
    engine: str,
    tables: Mapping[str, "pa.Table"],
    *,
    source_dialect: str = "duckdb",
    names: Mapping[str, str] | None = None,
    relative_tolerance: float = 1e-9,
    name: str = "query",
) -> EngineResult:
    """Parity of one hand-written pair: `source_sql` on the source dialect's oracle is the reference, `engine_sql`
    (already in `engine`'s dialect, tables named as `names` says) runs on `engine`'s oracle over the same tables."""
    reference_oracle = make_oracle(source_dialect)
    engine_oracle = make_oracle(engine, names)
    try:
        order = order_spec(source_sql, source_dialect)
        try:
            reference = reference_oracle.run(source_sql, tables)
        except OracleError as exc:
            return EngineResult(name, engine, "error", message=f"reference ({source_dialect}): {exc.message}")
        try:
            table = engine_oracle.run(engine_sql, tables)
        except OracleError as exc:
            return EngineResult(name, engine, "error", message=exc.message, sql=engine_sql)
        return _judge(name, engine, reference, table, KpiRun(name, order=order),
                      oracle_accepted(engine_oracle, reference_oracle),
                      relative_tolerance, engine_sql)
    finally:
        reference_oracle.close()
        engine_oracle.close()
