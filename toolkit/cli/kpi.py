"""`fedkit kpi`: the KPI suite, written once, compiled per engine and run anywhere.

Other `kpi` commands (parity, report) live in their own modules and add themselves to `app` (see _EXTENSIONS).
"""

from __future__ import annotations

import importlib
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from toolkit.cli.common import ConfigOption, ConnectionOption, Output, OutputOption, emit, load, output_format, state

app = typer.Typer(
    help=(
        "KPI SQL written once: compile it per engine, run it, prove parity, report it.\n\n"
        "Example:  fedkit kpi compile --engine all --out build/sql && fedkit kpi parity --sample-rows 1000"
    ),
    no_args_is_help=True,
)

KpiOption = Annotated[
    Optional[list[str]], typer.Option("--kpi", "-k", help="Only this KPI (repeatable); default: the whole suite.")
]
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
    engine: Annotated[str, typer.Option("--engine", "-e", help="bigquery, snowflake, duckdb, a comma list, or all (every engine the config configures).")] = "all",
    out: Annotated[Optional[Path], typer.Option("--out", help="Write DIR/<engine>/<kpi>.sql instead of printing.")] = None,
    kpi: KpiOption = None,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Compile the KPI suite (sql/kpi/*.sql) for each engine: refs to real table names, portability rules applied.

    Example:  fedkit kpi compile --engine snowflake --out build/sql    (or: fedkit kpi compile sql/kpi/aov_by_channel.sql)
    """
    from toolkit.cli import kpi_render
    from toolkit.engines.registry import parse_engines
    from toolkit.sql import suite

    loaded = load(ctx, config)
    engines = list(parse_engines(engine, loaded, option="--engine"))
    kpis = suite.load_suite(loaded, kpi or [], paths or [])
    compiled, refused = suite.compile_suite(kpis, engines, loaded, suite.suite_catalog(loaded))
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
    engine: Annotated[str, typer.Option("--engine", "-e", help="bigquery, snowflake or duckdb.")] = "duckdb",
    kpi: KpiOption = None,
    max_rows: Annotated[int, typer.Option("--max-rows", min=0, help="Rows shown per KPI in text output.")] = 20,
    connection: ConnectionOption = None,
    config: ConfigOption = None,
    output: Annotated[Optional[RunOutput], typer.Option("--output", "-o", help="text, json or csv.")] = None,
) -> None:
    """Run the compiled KPI suite on one engine and print each result with its timing (exit 1 if any KPI fails).

    Example:  fedkit kpi run --engine duckdb --kpi revenue_by_category --output csv
    """
    from toolkit.cli import kpi_render
    from toolkit.engines.registry import get_engine
    from toolkit.errors import CheckFailed
    from toolkit.sql import suite

    loaded = load(ctx, config, connection)
    kpis = suite.load_suite(loaded, kpi or [], paths or [])
    catalog = suite.suite_catalog(loaded)
    fmt = output or RunOutput(output_format(ctx).value if state(ctx).output else Output.text.value)
    runner = get_engine(engine.strip().lower(), loaded)
    _warn_stale(runner, loaded, catalog)
    try:
        with kpi_render.kpi_progress(len(kpis), f"running on {runner.name}") as advance:
            runs = suite.run_suite(kpis, runner, loaded, catalog, on_done=advance)
    finally:
        runner.close()
    kpi_render.print_runs(runs, fmt.value, max_rows)
    failed = [r for r in runs if not r.ok]
    if failed:
        raise CheckFailed(f"{len(failed)} of {len(runs)} KPI(s) failed on {runner.name}: "
                          + ", ".join(r.kpi for r in failed))


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
