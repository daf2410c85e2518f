"""One grammar for every command, applied to the finished click tree so a new command gets it without a line of code.

- `-C DIR` / `--project-dir DIR` is accepted after the subcommand too (`fedkit kpi run -C proj`), as before it.
- A flag shows no value placeholder in --help (Typer 0.29 prints `--yes <bool>`, which reads as if it took a value).
- Older spellings kept for scripts print a one-line notice naming the new one (DEPRECATED).
- `--output json` anywhere on the line makes errors JSON on stderr (toolkit.cli.common.say_error).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Sequence

# Old spelling -> new one, for renamed options. A second name that means the same thing in every tool we follow
# (--engine for --engines, --kpi for --select) is an alias, not deprecated.
DEPRECATED = {
    "--target": "--clouds",  # dbt's --target is an environment (dev/prod); fedkit's picks clouds to plan/apply
    "-t": "--clouds",
}


def deprecated_spellings(argv: Sequence[str]) -> list[str]:
    """One notice per old spelling used before `--` (an option value equal to one is not expected)."""
    used: list[str] = []
    for arg in argv:
        if arg == "--":
            break
        name = arg.split("=", 1)[0]
        if name in DEPRECATED and name not in used:
            used.append(name)
    return [f"{name} is deprecated, use {DEPRECATED[name]} (same values)" for name in used]


def json_mode(argv: Sequence[str]) -> bool:
    """Whether the command line asks for JSON output (`--output json`, `-o json`, `--output=json`, `-ojson`)."""
    args = list(argv)
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg in ("--output", "-o") and index + 1 < len(args) and args[index + 1] == "json":
            return True
        if arg in ("--output=json", "-ojson", "-o=json"):
            return True
    return False


def _enter_project(ctx: Any, param: Any, value: Path | None) -> None:
    if value is None:
        return
    from toolkit.errors import UsageError

    if not Path(value).is_dir():
        raise UsageError(f"--project-dir {value}: no such folder")
    os.chdir(value)


def finish(root: Any) -> Any:
    """Apply the shared grammar to every command under `root` (a click Group built by Typer); returns `root`."""
    project_dir = next(p for p in root.params if "--project-dir" in p.opts)
    for command in _walk(root):
        context = command.context_class(command, help_option_names=["-h", "--help"])
        help_option = command.get_help_option(context)  # created once and cached by click: safe to edit
        for param in [*command.params, *([help_option] if help_option is not None else [])]:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        if command is not root and not getattr(command, "commands", None) and not any(
                "--project-dir" in p.opts for p in command.params):
            after = copy.copy(project_dir)
            after.envvar = None  # the root already read FEDKIT_PROJECT_DIR: entering it twice would nest
            after.expose_value = False
            after.is_eager = True  # before anything reads a relative path
            after.callback = _enter_project
            after.help = "Run as if fedkit was started in DIR (also accepted before the command)."
            command.params.append(after)
    return root


def _walk(command: Any):  # type: ignore[no-untyped-def]
    yield command
    for child in (getattr(command, "commands", None) or {}).values():
        yield from _walk(child)
