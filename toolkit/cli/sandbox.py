"""`fedkit sandbox`: (being built)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Start, inspect and stop the embedded sandbox (being built).", no_args_is_help=True)


@app.command("status")
def status() -> None:
    """(being built)"""
    raise typer.Exit(1)
