"""`fedkit config`: the project config's own tools (its JSON Schema)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The project config.\n\nExample:  fedkit config schema > config/federation.schema.json",
    no_args_is_help=True,
)


@app.command("schema")
def schema() -> None:
    """Print the config's JSON Schema (from fedkit's config model) for editor completion and checks.

    Example:  fedkit config schema > config/federation.schema.json
    """
    from toolkit.config_schema import schema_text

    typer.echo(schema_text(), nl=False)
