"""The KPI suite as a whole: which files, which catalog, compile every KPI for every engine, run them on one.

Shared by `fedkit kpi compile/run` and by parity/report/validate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from toolkit.errors import FedkitError, UsageError

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.engines.base import Engine
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.compile import CompiledQuery
    from toolkit.sql.kpi_files import KpiFile


def load_suite(loaded: "LoadedConfig", names: Iterable[str] = (), paths: Iterable[Path] = ()) -> list["KpiFile"]:
    """The project's KPI files (config `kpi.paths`, or `paths`), keeping those `names` select (`--select`: names,
    globs, `tag:x`; see toolkit.sql.kpi_select) when given."""
    from toolkit.sql.kpi_files import load_kpi_files
    from toolkit.sql.kpi_select import select_kpis

    paths = list(paths)
    if not paths:
        for configured in loaded.config.kpi.paths:
            if not loaded.resolve(configured).exists():
                hint = loaded.missing_path_hint(configured)
                raise UsageError(f"{loaded.resolve(configured)}: no such KPI file or folder (kpi.paths {configured!r} "
                                 f"in {loaded.path}){': ' + hint if hint else ''}")
    roots = [Path(p) for p in paths] or [loaded.resolve(p) for p in loaded.config.kpi.paths]
    return select_kpis(load_kpi_files(roots), names)


def suite_catalog(loaded: "LoadedConfig", snapshot_option: bool = False) -> "GoldCatalog":
    """The gold catalog from `gold.local_dir` when it exists, else from S3. `snapshot_option`: the command also
    takes `--catalog` (it needs only the schemas), so the message offers it for CI, where the Parquet is not."""
    from toolkit.gold.schema import read_catalog

    local_dir = loaded.config.gold.local_dir
    if local_dir and loaded.resolve(local_dir).is_dir():
        return read_catalog(loaded, source="local")
    where = f"gold.local_dir {local_dir} does not exist" if local_dir else "gold.local_dir is not set"
    fix = "point gold.local_dir at your gold Parquet (or write a sample there with `fedkit gold sample --out DIR`)"
    if snapshot_option:
        fix += ("; without the Parquet (as in CI), give the committed schema snapshot: `--catalog gold-schema.json` "
                "(written by `fedkit gold schema --output json`)")
    if loaded.config.gold.bucket is None:  # no S3 copy to fall back to
        raise UsageError(f"{loaded.path}: no gold catalog to type the KPIs: {where}; {fix}")
    try:
        return read_catalog(loaded, source="s3")
    except FedkitError as exc:
        raise UsageError(
            f"{loaded.path}: no gold catalog to type the KPIs: {where} ({fix}) and reading S3 failed: {exc}"
        ) from None


@dataclass(frozen=True)
class Refusal:
    """A KPI that cannot be compiled faithfully for one engine; `message` is self-contained (file:line, construct,
    engine, alternative)."""

    kpi: str
    engine: str
    message: str


def compile_suite(
    kpis: list["KpiFile"], engines: list[str], loaded: "LoadedConfig", catalog: "GoldCatalog"
) -> tuple[list[tuple["KpiFile", "CompiledQuery"]], list[Refusal]]:
    """Every KPI for every engine (engine-major order). A refusal is per KPI and engine: the others still compile.
    Bad input (syntax, unknown refs) still stops at the first error, like any usage error."""
    from toolkit.sql.compile import UnportableError, compile_kpi

    compiled, refused = [], []
    for engine in engines:
        for kpi in kpis:
            try:
                compiled.append((kpi, compile_kpi(kpi, engine, loaded, catalog)))
            except UnportableError as exc:
                refused.append(Refusal(kpi.name, engine, exc.message))
    return compiled, refused


def compiled_file_text(kpi: "KpiFile", compiled: "CompiledQuery") -> str:
    """The reviewed text written by `fedkit kpi compile --out` (and kept as golden files)."""
    lines = [f"-- {kpi.name}: compiled by fedkit for {compiled.engine} from {kpi.path.name}; do not edit"]
    lines += [f"-- rule {note}" for note in compiled.notes]
    return "\n".join(lines) + "\n" + compiled.sql.rstrip() + "\n"


@dataclass(frozen=True)
class KpiRun:
    kpi: str
    engine: str
    seconds: float
    table: "pa.Table | None" = None
    error: str | None = None
    note: str | None = None  # what the engine says about how it ran (the BigQuery sandbox evaluates a sample)
    partial: bool = False  # the engine read only part of the rows (its `last_partial`): not the table's answer

    @property
    def ok(self) -> bool:
        return self.error is None


def run_suite(
    kpis: list["KpiFile"],
    engine: "Engine",
    loaded: "LoadedConfig",
    catalog: "GoldCatalog",
    on_done: Callable[[KpiRun], None] | None = None,
) -> list[KpiRun]:
    """Compile each KPI for `engine` and run it; an error (compile or engine) is recorded, not raised.

    Except when the engine itself is out of reach (no credentials, no connection, a bad connection config): that
    is raised at the first KPI, since every later one would fail with the same message.
    """
    from toolkit.errors import ConfigError, EngineUnavailable
    from toolkit.sql.compile import compile_kpi

    runs = []
    for kpi in kpis:
        started = time.perf_counter()
        try:
            compiled = compile_kpi(kpi, engine.name, loaded, catalog)
            result = KpiRun(kpi.name, engine.name, 0.0, table=engine.run(compiled.sql))
        except (EngineUnavailable, ConfigError):
            raise
        except FedkitError as exc:
            result = KpiRun(kpi.name, engine.name, 0.0, error=exc.message)
        # An engine that answers from part of the data (the BigQuery sandbox's evaluator) says so in `last_note`:
        # shown next to the rows, so sampled numbers are never taken for the whole table's.
        note = getattr(engine, "last_note", None) if result.ok else None
        partial = bool(getattr(engine, "last_partial", ())) if result.ok else False
        result = KpiRun(result.kpi, result.engine, time.perf_counter() - started, result.table, result.error, note,
                        partial)
        runs.append(result)
        if on_done is not None:
            on_done(result)
    return runs
