"""`fedkit plan`: (being built)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("plan")
    def _placeholder() -> None:
        """(being built)"""
        raise typer.Exit(1)
