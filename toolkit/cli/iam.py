"""`fedkit iam`: (being built)."""

from __future__ import annotations

import typer

app = typer.Typer(help="iam commands (being built).", no_args_is_help=True)


@app.command("placeholder", hidden=True)
def _placeholder() -> None:
    raise typer.Exit(1)
