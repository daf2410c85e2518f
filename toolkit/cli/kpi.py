"""`fedkit kpi`: the KPI suite, written once, compiled per engine and run anywhere.

Other `kpi` commands (parity, report) live in their own modules and add themselves to `app` (see _EXTENSIONS).
"""

from __future__ import annotations

import importlib
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from toolkit.cli.common import (
    ENGINES_HELP, ConfigOption, ConnectionOption, EnginesOption, Output, OutputOption, SelectOption, emit, load,
    output_format, state,
)

if TYPE_CHECKING:
    from toolkit.sql.suite import KpiRun

app = typer.Typer(
    help=(
        "KPI SQL written once: compile it per engine, run it, prove parity, report it.\n\n"
        "Example:  fedkit kpi compile --engines all --out build/sql && fedkit kpi parity --select tag:revenue"
    ),
    no_args_is_help=True,
)

PathsArgument = Annotated[
    Optional[list[Path]], typer.Argument(help="KPI files or folders (default: kpi.paths of the config).")
]


class RunOutput(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


@app.command("compile")
def compile_cmd(
    ctx: typer.Context,
    paths: PathsArgument = None,
    engine: EnginesOption = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write DIR/<engine>/<kpi>.sql instead of printing.")] = None,
    kpi: SelectOption = None,
    catalog_file: Annotated[Optional[Path], typer.Option(
        "--catalog", help="Gold schemas from `fedkit gold schema --output json` (a committed snapshot, for CI "
                          "without the Parquet); default: read gold.local_dir, else S3.")] = None,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Compile the KPI suite (sql/kpi/*.sql) for each engine: refs to real table names, portability rules applied.

    Example:  fedkit kpi compile --engines snowflake --select tag:revenue --out build/sql
    """
    from toolkit.cli import kpi_render
    from toolkit.engines.registry import parse_engines
    from toolkit.sql import suite

    loaded = load(ctx, config)
    engines = list(parse_engines(engine, loaded))
    kpis = suite.load_suite(loaded, kpi or [], paths or [])
    if catalog_file is not None:
        from toolkit.sql.validate.runner import read_catalog_file

        catalog = read_catalog_file(catalog_file)
    else:
        catalog = suite.suite_catalog(loaded, snapshot_option=True)
    compiled, refused = suite.compile_suite(kpis, engines, loaded, catalog)
    written = kpi_render.write_compiled(compiled, out) if out is not None else []
    data = {"queries": [{"kpi": k.name, "engine": c.engine, "sql": c.sql, "notes": list(c.notes)} for k, c in compiled]}
    if written:
        data["files"] = [str(p) for p in written]
    if refused:
        data["refused"] = [{"kpi": r.kpi, "engine": r.engine, "message": r.message} for r in refused]
    emit(data, output_format(ctx, output), lambda: kpi_render.print_compiled(compiled, written))
    if refused:
        kpi_render.print_refusals(refused, len(compiled) + len(refused))


@app.command("run")
def run_cmd(
    ctx: typer.Context,
    paths: PathsArgument = None,
    engine: Annotated[str, typer.Option("--engines", "--engine", "-e", help=ENGINES_HELP.replace(
        "every engine the config configures", "duckdb"))] = "duckdb",
    kpi: SelectOption = None,
    max_rows: Annotated[int, typer.Option("--max-rows", min=0, help="Rows shown per KPI in text output.")] = 20,
    sample: Annotated[bool, typer.Option(
        "--sample", help="Accept answers computed from part of the rows (the BigQuery sandbox evaluates at most "
                         "FEDKIT_BIGQUERY_SANDBOX_ROWS rows per table); without it such a run exits 1.")] = False,
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="With --output csv: write DIR/<engine>/<kpi>.csv, one file per KPI.")] = None,
    decimals_as_strings: Annotated[bool, typer.Option(
        "--decimals-as-strings", help="JSON: decimals as strings (exact for readers whose numbers are doubles); "
        "by default they are numbers with their exact digits.")] = False,
    connection: ConnectionOption = None,
    config: ConfigOption = None,
    output: Annotated[Optional[RunOutput], typer.Option("--output", "-o", help="text, json or csv.")] = None,
) -> None:
    """Run the compiled KPI suite on each engine and print each result with its timing (exit 1 if any KPI fails, or
    if an engine answered from part of the rows and --sample was not given).

    --output csv is plain CSV (header row, NULL as an empty field, ISO dates): one KPI to stdout, or one file per
    KPI with --out DIR. --output json keeps numbers as numbers and arrays as arrays.

    Example:  fedkit kpi run --engines duckdb --select aov_by_channel --output csv > aov.csv
    """
    from toolkit.cli import kpi_render
    from toolkit.cli.progress import step
    from toolkit.engines.registry import get_engine, parse_engines
    from toolkit.errors import CheckFailed, UsageError
    from toolkit.sql import suite

    loaded = load(ctx, config, connection)
    fmt = output or RunOutput(output_format(ctx).value if state(ctx).output else Output.text.value)
    if out is not None and fmt is not RunOutput.csv:
        raise UsageError(f"--out {out}: writes CSV files; add --output csv")
    names = parse_engines(engine, loaded)
    kpis = suite.load_suite(loaded, kpi or [], paths or [])
    if fmt is RunOutput.csv and out is None and len(kpis) * len(names) != 1:
        raise UsageError(f"--output csv: {len(kpis)} KPI(s) on {len(names)} engine(s) selected; CSV on stdout holds "
                         "one result: pick one with --select NAME and one engine, or write one file per KPI with "
                         "--out DIR")
    catalog = suite.suite_catalog(loaded)
    runs = []
    for name in names:
        runner = get_engine(name, loaded)
        _warn_stale(runner, loaded, catalog)
        try:
            with step(f"running on {runner.name}", total=len(kpis), unit="KPIs") as work:
                runs.extend(suite.run_suite(kpis, runner, loaded, catalog,
                                            on_done=lambda run: work.advance(detail=run.kpi)))
        finally:
            runner.close()
    if fmt is RunOutput.csv:
        _write_csv(runs, out)
    else:
        kpi_render.print_runs(runs, fmt.value, max_rows, decimals_as_strings)
    failures = []
    for name in dict.fromkeys(r.engine for r in runs):
        mine = [r for r in runs if r.engine == name]
        failed = [r.kpi for r in mine if not r.ok]
        if failed:
            failures.append(f"{len(failed)} of {len(mine)} KPI(s) failed on {name}: {', '.join(failed)}")
    if failures:
        raise CheckFailed("; ".join(failures))
    partial = [r for r in runs if r.partial]
    if partial and not sample:
        raise CheckFailed(f"{len(partial)} of {len(runs)} KPI run(s) were computed from part of the rows "
                          f"({', '.join(f'{r.kpi} on {r.engine}' for r in partial)}): pass --sample to accept a sample")


def _write_csv(runs: "list[KpiRun]", out: Optional[Path]) -> None:
    """CSV holds rows only: timings and notes go to stderr, so the file or stdout loads without cleaning."""
    import sys

    from rich.markup import escape

    from toolkit.cli.common import err_console
    from toolkit.cli.kpi_values import table_csv

    for run in runs:
        if run.note:
            err_console().print(escape(f"note: {run.kpi} on {run.engine}: {run.note}"), style="dim")
        if run.table is None:
            continue
        if out is None:
            sys.stdout.write(table_csv(run.table))
            sys.stdout.flush()
            continue
        path = out / run.engine / f"{run.kpi}.csv"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(table_csv(run.table), encoding="utf-8", newline="")
        except OSError as exc:
            from toolkit.errors import UsageError

            raise UsageError(f"--out {out}: cannot write {path}: {exc.strerror or exc}") from None
        err_console().print(escape(f"wrote {path} ({run.table.num_rows} rows, {run.seconds:.3f} s)"))


def _warn_stale(runner: object, loaded: object, catalog: object) -> None:
    """The sandbox's Snowflake tables are loaded copies: say which are behind S3 (after `gold publish`) and the fix."""
    from rich.markup import escape

    from toolkit.cli.common import err_console
    from toolkit.registration.refresh_target import stale_tables

    for name, why in stale_tables(runner, loaded, catalog).items():
        err_console().print(escape(f"warning: snowflake table {name} is stale, S3 changed since its last load ({why}): "
                                   "it serves the old rows until `fedkit apply` refreshes it"), style="yellow")


# Modules that add commands to `app` (each has `register(app)`); absent ones are skipped.
_EXTENSIONS = ("toolkit.cli.kpi_parity", "toolkit.cli.kpi_report")


def _register_extensions() -> None:
    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_extensions()
