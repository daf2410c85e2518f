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
from toolkit.sql.parity.compare import compare_tables, order_spec
from toolkit.sql.parity.model import EngineResult, KpiRun, OracleInfo, ParityReport
from toolkit.sql.parity.oracle import OracleError, first_line, make_oracle, oracle_class

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.kpi_files import KpiFile
    from toolkit.sql.parity.oracle import Oracle
    from toolkit.sql.parity.sample import Sample

PARITY_ENGINES = ("bigquery", "snowflake", "duckdb")
DEFAULT_SAMPLE_ROWS = 2000  # fact rows; the ZetaSQL evaluator runs about 3,000 rows/s
Progress = Callable[[int, int, str], None]  # (done, total, what is running)


def read_gold_data(catalog: "GoldCatalog") -> dict[str, "pa.Table"]:
    from toolkit.gold.data import read_table_data

    return {table.name: read_table_data(table) for table in catalog.tables}


def _oracle_options(engine: str, loaded: "LoadedConfig") -> dict[str, object]:
    if engine == "snowflake" and loaded.config.snowflake is not None:
        return {"database": loaded.config.snowflake.database, "schema": loaded.config.snowflake.schema_}
    return {}


def _require_sections(engines: Iterable[str], loaded: "LoadedConfig") -> None:
    for engine in engines:
        if engine in ("bigquery", "snowflake") and getattr(loaded.config, engine) is None:
            raise UsageError(f"{loaded.path}: parity on {engine} compiles with the {engine}: section of the config; "
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
) -> ParityReport:
    """Parity of the KPI suite (or `kpi_names`, or the files under `paths`) on `engines` over one sample."""
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
    sample = sample_tables(data if data is not None else read_gold_data(catalog), sample_rows or None, seed,
                           hints=hints)
    source = loaded.config.kpi.source_dialect
    oracles: dict[str, "Oracle"] = {
        engine: make_oracle(engine, table_names_for(engine, loaded, catalog.names), **_oracle_options(engine, loaded))
        for engine in dict.fromkeys([*engines, source])
    }
    report = ParityReport(
        engines=tuple(engines),
        oracles={e: OracleInfo(e, oracle_class(e).description, oracle_class(e).independent) for e in oracles},
        reference=f"the KPI source SQL as written ({source} dialect, no portability rule) on the {source} oracle",
        sample=sample.describe(),
        keys=sample.keys(),
        relative_tolerance=loaded.config.kpi.relative_tolerance,
    )
    total, done = len(kpis) * (len(engines) + 1), 0
    try:
        for kpi in kpis:
            if progress is not None:
                progress(done, total, f"{kpi.name}: reference")
            run = _reference(kpi, loaded, catalog, sample, oracles[source])
            report.kpis.append(run)
            done += 1
            for engine in engines:
                if progress is not None:
                    progress(done, total, f"{kpi.name}: {engine}")
                report.results.append(_engine_result(kpi, engine, run, loaded, catalog, sample, oracles[engine],
                                                     report.relative_tolerance))
                done += 1
        if progress is not None:
            progress(done, total, "done")
    finally:
        for oracle in oracles.values():
            oracle.close()
    report.seconds = time.perf_counter() - started
    return report


def _reference(kpi: "KpiFile", loaded: "LoadedConfig", catalog: "GoldCatalog", sample: "Sample",
               oracle: "Oracle") -> KpiRun:
    from toolkit.sql.refs import render_refs

    source = loaded.config.kpi.source_dialect
    common = {"name": kpi.name, "description": kpi.description, "path": str(kpi.path)}
    try:
        sql = render_refs(kpi.text, "source", loaded, path=kpi.path, catalog=catalog)
    except FedkitError as exc:
        return KpiRun(**common, reference_error=exc.message)
    order = order_spec(sql, source)
    try:
        return KpiRun(**common, order=order, reference=oracle.run(sql, sample.tables))
    except OracleError as exc:
        return KpiRun(**common, order=order, reference_error=f"{source} (source SQL): {exc.message}")


def _engine_result(kpi: "KpiFile", engine: str, run: KpiRun, loaded: "LoadedConfig", catalog: "GoldCatalog",
                   sample: "Sample", oracle: "Oracle", tolerance: float) -> EngineResult:
    from toolkit.sql.compile import compile_kpi

    try:
        compiled = compile_kpi(kpi, engine, loaded, catalog)
    except FedkitError as exc:
        return EngineResult(kpi.name, engine, "error", message=f"compile: {exc.message}")
    started = time.perf_counter()
    try:
        table = oracle.run(compiled.sql, sample.tables)
    except OracleError as exc:
        return EngineResult(kpi.name, engine, "error", message=exc.message, sql=compiled.sql,
                            seconds=time.perf_counter() - started)
    except Exception as exc:  # an oracle bug must not hide the other results: report it as this engine's error
        return EngineResult(kpi.name, engine, "error", message=f"{type(exc).__name__}: {first_line(exc)}",
                            sql=compiled.sql, seconds=time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if run.reference is None:
        return EngineResult(kpi.name, engine, "error", table.num_rows,
                            f"no reference to compare with: {run.reference_error}", sql=compiled.sql, seconds=seconds)
    comparison = compare_tables(run.reference, table, order=run.order, relative_tolerance=tolerance, engine=engine)
    return EngineResult(kpi.name, engine, comparison.status, table.num_rows, comparison.message, comparison,
                        compiled.sql, seconds)


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
        comparison = compare_tables(reference, table, order=order, relative_tolerance=relative_tolerance,
                                    engine=engine)
        return EngineResult(name, engine, comparison.status, table.num_rows, comparison.message, comparison,
                            engine_sql)
    finally:
        reference_oracle.close()
        engine_oracle.close()
