"""`fedkit`: the command line. Thin: parse, call one core function, render. Cloud SDKs are never imported here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Sequence

import typer

from toolkit import __version__
from toolkit.cli import apply_cmd, common, config_cmd, demo, gold, iam, init_cmd, kpi, plan_cmd, sandbox, validate_cmd
from toolkit.cli.common import ConfigOption, GlobalState, OutputOption
from toolkit.errors import FedkitError

app = typer.Typer(
    name="fedkit",
    help=(
        "Query gold Parquet in S3 from BigQuery Omni and Snowflake without copying it.\n\n"
        "Example:  fedkit demo    (runs everything on the embedded sandbox, no cloud account needed)"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fedkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: ConfigOption = None,
    output: OutputOption = None,
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Print the Python traceback when fedkit fails unexpectedly (for bug reports)."
    ),
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version."),
    project_dir: Optional[Path] = typer.Option(
        None, "--project-dir", "-C", envvar="FEDKIT_PROJECT_DIR",
        help="Run as if fedkit was started in DIR (like git -C): the default config, relative paths in the config "
             "and the sandbox state (.fedkit/) are all found from there.",
    ),
) -> None:
    """Global options apply to every command; a command's own --config/--output wins."""
    from toolkit.sandbox.state import requested_mode

    requested_mode()  # a FEDKIT_MODE typo stops every command (exit 2) instead of quietly meaning auto
    if project_dir is not None:
        _enter_project(project_dir)
    ctx.obj = GlobalState(config=config, output=output, verbose=verbose)
    common.VERBOSE = verbose


app.add_typer(sandbox.app, name="sandbox")
app.add_typer(gold.app, name="gold")
app.add_typer(iam.app, name="iam")
app.add_typer(kpi.app, name="kpi")
plan_cmd.register(app)
apply_cmd.register(app)
validate_cmd.register(app)
demo.register(app)
init_cmd.register(app)
app.add_typer(config_cmd.app, name="config")


def _enter_project(folder: Path) -> None:
    import os

    from toolkit.errors import UsageError

    if not folder.is_dir():
        raise UsageError(f"--project-dir {folder}: no such folder")
    os.chdir(folder)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; FedkitError becomes one line on stderr, never a traceback.

    Anything else is a bug or an environment problem nobody foresaw: one line too (exit 1), and the traceback only
    with --verbose. Every byte written meanwhile passes `toolkit.redact`: no secret in any output.
    """
    from toolkit.redact import redacted_output

    try:
        with redacted_output():  # no secret in any output: text, JSON, errors, tracebacks, SDK log lines
            return _run(argv)
    finally:
        common.JSON_ERRORS = False  # per run: a later run (tests run many in one process) starts in text mode


def _say_notice(message: str) -> None:
    from rich.markup import escape

    from toolkit.cli.common import err_console

    err_console().print(f"[bold yellow]warning:[/] {escape(message)}")


_COMMAND = None


def command():  # type: ignore[no-untyped-def]
    """The click command tree Typer builds from `app`, with the shared grammar applied (toolkit.cli.grammar)."""
    global _COMMAND
    if _COMMAND is None:
        from typer.main import get_command

        from toolkit.cli.grammar import finish

        _COMMAND = finish(get_command(app))
    return _COMMAND


def _run(argv: Sequence[str] | None) -> int:
    from toolkit.cli.grammar import deprecated_spellings, json_mode
    from toolkit.sandbox.state import on_notice

    args = list(argv) if argv is not None else sys.argv[1:]
    common.VERBOSE = False
    common.JSON_ERRORS = json_mode(args)
    on_notice(_say_notice)  # auto falling back to the real clouds is said on stderr before any cloud call
    for notice in deprecated_spellings(args):
        _say_notice(notice)
    try:
        # Not standalone: click's usage errors come back here instead of being drawn as Typer's multi-line box.
        result = command().main(args=args, prog_name="fedkit", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except _click_errors() as exc:
        code = _usage_error(exc)
        # `plan --detailed-exitcode` keeps 2 for "changes": a bad option is an error, 1 (as Terraform does).
        return 1 if code == 2 and "--detailed-exitcode" in args else code
    except typer.Abort:  # a confirmation prompt closed with Ctrl-D/Ctrl-C
        sys.stderr.write("aborted\n")
        return 1
    except FedkitError as exc:
        common.say_error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as exc:
        if common.VERBOSE:
            import traceback

            # Printed here, not by the interpreter, so it passes the redacting stream like every other output.
            sys.stderr.write(traceback.format_exc())
            return 1
        detail = (str(exc).strip().splitlines() or [""])[0]
        common.say_error(f"unexpected {type(exc).__name__}: {detail} (run again with --verbose for the traceback)")
        return 1
    # Not standalone, a `typer.Exit(code)` (and `--help`, `--version`) comes back as its exit code; commands return None.
    return result if isinstance(result, int) else 0


def _click_errors() -> tuple[type[Exception], ...]:
    """The base of click's exceptions: Typer vendors click since 0.26 (`TyperException`), older Typer used click's."""
    try:
        from typer.exceptions import TyperException

        return (TyperException,)
    except ImportError:  # pragma: no cover - typer < 0.26
        import click

        return (click.ClickException,)


def _usage_error(exc: Exception) -> int:
    """Unknown option or command, bad value, missing value: one line, the message then the help hint (exit 2)."""
    from toolkit.safe_text import printable

    code = getattr(exc, "exit_code", 2)
    if type(exc).__name__ == "NoArgsIsHelpError":
        return code  # a group called without a command: Typer has already printed its help
    message = printable(" ".join(exc.format_message().split()))  # type: ignore[attr-defined]
    ctx = getattr(exc, "ctx", None)
    hint = f" (try '{ctx.command_path} --help')" if ctx is not None else ""
    common.say_error(f"{message}{hint}")
    return code


def main() -> None:
    sys.exit(run())
