"""What every command shares: the global options, config loading, and rendering for people or machines."""

from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Optional

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from toolkit.config import LoadedConfig


class Output(str, Enum):
    text = "text"
    json = "json"


ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", "-c", help="Project config (default: config/federation.yaml).", envvar="FEDKIT_CONFIG"),
]
OutputOption = Annotated[Optional[Output], typer.Option("--output", "-o", help="text for people, json for scripts.")]
# One grammar for every command (README "Options every command shares"): the same words, the same spelling.
# --engines as on `validate` and `kpi parity`; --engine is the same option (one engine is a list of one).
ENGINES_HELP = "bigquery, snowflake, duckdb, a comma list, or all (default: every engine the config configures)."
EnginesOption = Annotated[Optional[str], typer.Option("--engines", "--engine", "-e", help=ENGINES_HELP)]
# dbt's --select/-s words: a KPI name, a glob (revenue_*), tag:NAME; repeatable or a comma list, a union.
# --kpi/-k is the older spelling of the same option (a name is a selector), kept: no script that used it breaks.
SelectOption = Annotated[
    Optional[list[str]],
    typer.Option("--select", "-s", "--kpi", "-k",
                 help="Only these KPIs: a name, a glob like 'revenue_*', or tag:NAME (repeatable or a comma list); "
                      "default: the whole suite."),
]
# Snowflake CLI's `--connection` (its short `-c` is fedkit's --config, kept for compatibility).
ConnectionOption = Annotated[
    Optional[str],
    typer.Option("--connection", help="Snowflake connection in connections.toml; wins over "
                 "SNOWFLAKE_DEFAULT_CONNECTION_NAME and the config's snowflake.connection_name."),
]


# --verbose of the running command (read by `toolkit.cli.run` after the command has failed).
VERBOSE = False
# `--output json` on the command line: errors are JSON on stderr too (set by `toolkit.cli.run`).
JSON_ERRORS = False

# `path:line: rest` or `path: rest`, the shape of fedkit's messages about a file (config, KPI, template, Parquet).
_WHERE = re.compile(r"^(?P<file>[^\s:]+\.[A-Za-z0-9]+)(?::(?P<line>\d+))?(?::\d+)?:\s")


def error_json(message: str) -> dict[str, Any]:
    """The documented error object: {"error": {"message", "file", "line"}}; file and line are null when the error
    is not about a place in a file."""
    found = _WHERE.match(message)
    file = found.group("file") if found else None
    line = int(found.group("line")) if found and found.group("line") else None
    return {"error": {"message": message, "file": file, "line": line}}


def say_error(message: str) -> None:
    """The one way an error reaches the user: a red line, or one JSON object on stderr in --output json mode."""
    if JSON_ERRORS:
        sys.stderr.write(json.dumps(error_json(message)) + "\n")
        sys.stderr.flush()
        return
    from rich.markup import escape

    err_console().print(f"[bold red]error:[/] {escape(message)}")


class GlobalState:
    """Values of the root options; a command's own --config/--output wins over them."""

    def __init__(self, config: Path | None = None, output: Output | None = None, verbose: bool = False):
        self.config = config
        self.output = output
        self.verbose = verbose


def state(ctx: typer.Context) -> GlobalState:
    root = ctx.find_root()
    if not isinstance(root.obj, GlobalState):
        root.obj = GlobalState()
    return root.obj


def config_path(ctx: typer.Context, config: Path | None = None) -> Path:
    from toolkit.config import DEFAULT_CONFIG_PATH

    return config or state(ctx).config or DEFAULT_CONFIG_PATH


def load(ctx: typer.Context, config: Path | None = None, connection: str | None = None) -> "LoadedConfig":
    from toolkit.config import load_config

    loaded = load_config(config_path(ctx, config))
    if connection is not None:
        from toolkit.safe_text import refuse_unsafe

        loaded.snowflake_connection = refuse_unsafe(connection, "--connection")
        if not connection:
            from toolkit.errors import UsageError

            raise UsageError("--connection: '' names no connection (leave the option out for the default one)")
    return loaded


def output_format(ctx: typer.Context, output: Output | None = None) -> Output:
    return output or state(ctx).output or Output.text


_console: "Console | None" = None
_err_console: "Console | None" = None


def console() -> "Console":
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(highlight=False, soft_wrap=True)
    return _console


_json_err_console: "Console | None" = None


def err_console() -> "Console":
    """The console for stderr; in --output json mode every line printed on it becomes a JSON line (JsonLines)."""
    global _err_console, _json_err_console
    from rich.console import Console

    if JSON_ERRORS:
        if _json_err_console is None:
            _json_err_console = Console(file=JsonLines(), highlight=False, soft_wrap=True, no_color=True)
        return _json_err_console
    if _err_console is None:
        _err_console = Console(stderr=True, highlight=False, soft_wrap=True)
    return _err_console


class JsonLines:
    """A text stream for rich that writes each line to stderr as {"warning"|"note": {"message": line}}: with
    --output json, stderr stays JSON lines whatever a command prints there (warnings, notes, lock waits)."""

    _KINDS = (("warning: ", "warning"), ("note: ", "note"), ("error: ", "error"))

    def __init__(self) -> None:
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            self._emit(line)
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()

    def isatty(self) -> bool:
        return False

    def _emit(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        kind = "note"
        for prefix, name in self._KINDS:
            if text.startswith(prefix):
                kind, text = name, text[len(prefix):]
                break
        record: dict[str, Any] = {"message": text}
        if kind == "error":
            record = error_json(text)["error"]
        sys.stderr.write(json.dumps({kind: record}) + "\n")  # looked up now: the redacting stream, test capture


def emit(data: Any, output: Output, render_text: Callable[[], None]) -> None:
    """Print `data` as JSON for machines, or call `render_text` for people."""
    if output is Output.json:
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")
        sys.stdout.flush()
    else:
        render_text()
