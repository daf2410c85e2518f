"""`fedkit validate`: CI dry-run validation of SQL files on BigQuery, Snowflake and DuckDB, offline by default."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from toolkit.cli.common import (
    ConfigOption, ConnectionOption, EnginesOption, Output, SelectOption, console, err_console, load, output_format,
)

from toolkit.errors import EXIT_INTERRUPTED, FedkitError

if TYPE_CHECKING:
    from toolkit.sql.validate.model import Report


class Interrupted(FedkitError):
    """Ctrl-C: one line and exit 130, as a shell reports it (not Typer's silent 130)."""

    exit_code = EXIT_INTERRUPTED


class ValidateOutput(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    github = "github"


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate(
        ctx: typer.Context,
        paths: Optional[List[Path]] = typer.Argument(
            None, help="SQL files or folders (KPI *.sql, DDL *.sql.j2); default: the config's kpi.paths + IAM + DDL."
        ),
        engines: EnginesOption = None,
        select: SelectOption = None,
        online: bool = typer.Option(
            False, "--online", help="Also BigQuery dry runs and Snowflake EXPLAIN; exit 2 when no engine has "
            "credentials (an engine without them is skipped with a note)."
        ),
        online_optional: bool = typer.Option(
            False, "--online-optional", help="With --online: no credentials for any engine is a note, not an error."
        ),
        output: Optional[ValidateOutput] = typer.Option(
            None, "--output", "-o", help="text for people, json for scripts, junit for CI reports, github annotations."
        ),
        junit_file: Optional[Path] = typer.Option(None, "--junit-file", help="Also write JUnit XML to this file."),
        jobs: Optional[int] = typer.Option(
            None, "--jobs", "-j", help="Worker processes (default: by file count and free cores; 1: everything in this "
            "process)."
        ),
        catalog_file: Optional[Path] = typer.Option(
            None, "--catalog", help="Gold schemas from `fedkit gold schema --output json` (a committed snapshot, "
            "for CI without the Parquet files); default: read gold.local_dir."
        ),
        connection: ConnectionOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Parse, compile and resolve every SQL file against the gold schema on each engine, offline.

        BigQuery: ZetaSQL's analyzer (BigQuery's own messages) + Omni rules; Snowflake: sqlglot's qualifier and
        fakesnow over empty tables; DuckDB: EXPLAIN over empty tables. Exit 0 when all pass, 1 when any fails,
        2 for usage or config errors (also: a path that does not exist, a folder with no SQL files, a file that
        is not SQL). Positions are lines of the file as written (before Jinja). The gold schemas come from
        gold.local_dir, or from --catalog (a `fedkit gold schema --output json` snapshot) in CI.

        Example:  fedkit validate --output github
        """
        from toolkit.sql.validate import render
        from toolkit.sql.validate.runner import parse_engines, read_catalog_file, validate as run_validation

        loaded = load(ctx, config, connection)
        chosen = parse_engines(engines, loaded)
        catalog = read_catalog_file(catalog_file) if catalog_file is not None else None
        fmt = output.value if output is not None else output_format(ctx, None).value
        from toolkit.cli.progress import step

        # the first run in a fresh cache compiles ZetaSQL's WASM module (up to ~20 s): this says it is working
        checked = [0]

        def advance(_: object) -> None:
            checked[0] += 1
            work.advance()

        try:
            with step("validating", unit="checks") as work:
                report = run_validation(loaded, paths or [], engines=chosen, online=online, jobs=jobs,
                                        catalog=catalog, on_result=advance, select=select or [],
                                        online_optional=online_optional)
        except KeyboardInterrupt:  # its worker process is stopped by then (runner's `finally`)
            raise Interrupted(f"interrupted after {checked[0]} checks; no report written") from None
        if junit_file is not None:
            try:
                junit_file.parent.mkdir(parents=True, exist_ok=True)
                junit_file.write_text(render.to_junit(report), encoding="utf-8")
            except OSError as exc:
                from toolkit.errors import UsageError

                raise UsageError(f"--junit-file {junit_file}: cannot write: {exc.strerror or exc}")
        if fmt == Output.json.value:
            typer.echo(render.to_json(report), nl=False)
            _notes_to_stderr(report)
        elif fmt == ValidateOutput.junit.value:
            typer.echo(render.to_junit(report), nl=False)
            _notes_to_stderr(report)
        elif fmt == ValidateOutput.github.value:
            typer.echo(render.to_github(report), nl=False)
        else:
            _render_text(report)
        if not report.passed:
            raise typer.Exit(1)


def _notes_to_stderr(report: "Report") -> None:
    from rich.markup import escape

    for note in report.notes:
        err_console().print(f"[dim]note: {escape(note)}[/]")


def _render_text(report: "Report") -> None:
    from rich.markup import escape

    from toolkit.sql.validate.render import summary, where

    out = console()
    for result in report.results:
        if result.ok:
            detail = f"  [dim]{escape(result.message)}[/]" if result.message else ""
            out.print(f"[green]ok[/]    {escape(result.file)}  [cyan]{result.engine}[/]{detail}")
            continue
        out.print(f"[bold red]error[/] {escape(where(result))}  [cyan]{result.engine}[/]  {escape(result.message)}")
        for line in result.excerpt.splitlines():
            out.print(f"      [dim]|[/] {escape(line)}")
    for note in report.notes:
        out.print(f"[dim]note: {escape(note)}[/]")
    style = "green" if report.passed else "bold red"
    out.print(f"[{style}]{escape(summary(report))}[/]")
