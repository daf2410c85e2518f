"""`fedkit init [DIR]`: write a working project (config with comments, its JSON Schema, an example KPI, .gitignore,
the CI workflow and pre-commit config); `--from-gold` fills the tables from the user's Parquet. Never overwrites."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from toolkit.cli.common import OutputOption, console, emit, err_console, output_format


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(
        ctx: typer.Context,
        directory: Path = typer.Argument(Path("."), help="Project folder (created if missing; default: here)."),
        from_gold: Optional[Path] = typer.Option(
            None, "--from-gold", help="Folder of your gold Parquet (one sub-folder per table, hive partitions): "
            "fills gold.local_dir, gold.tables and their partition columns, and writes gold-schema.json for CI."),
        bucket: Optional[str] = typer.Option(None, "--bucket", help="gold.bucket: the S3 bucket of the gold layer."),
        prefix: Optional[str] = typer.Option(None, "--prefix", help="gold.prefix inside the bucket (default gold/)."),
        aws_account_id: Optional[str] = typer.Option(None, "--aws-account-id", help="aws.account_id (12 digits)."),
        aws_region: Optional[str] = typer.Option(None, "--aws-region", help="aws.region of the bucket."),
        bigquery_project: Optional[str] = typer.Option(None, "--bigquery-project", help="bigquery.project."),
        bigquery_location: Optional[str] = typer.Option(None, "--bigquery-location", help="bigquery.location (aws-*)."),
        snowflake_connection: Optional[str] = typer.Option(
            None, "--snowflake-connection", help="snowflake.connection_name (in connections.toml)."),
        snowflake_database: Optional[str] = typer.Option(None, "--snowflake-database", help="snowflake.database."),
        source_dialect: Optional[str] = typer.Option(
            None, "--source-dialect", help="kpi.source_dialect: duckdb (default), bigquery or snowflake."),
        ddl: bool = typer.Option(
            False, "--ddl", help="Also copy fedkit's registration DDL templates to sql/ddl/<engine>/, where yours "
            "win over fedkit's (edit, review and commit them as your own)."),
        output: OutputOption = None,
    ) -> None:
        """Write a new fedkit project into DIR: config/federation.yaml (only what the flags give; every other
        section commented out), its JSON Schema, sql/kpi/ with one example KPI, .gitignore for .fedkit/, a GitHub
        Actions workflow and a pre-commit config. Non-interactive: flags only (works in CI).

        Never overwrites: if one of fedkit's files exists, nothing is written (exit 2, naming the file); an existing
        .gitignore or .pre-commit-config.yaml is kept as it is, with a note saying what to add to it.

        Examples:
          fedkit init --from-gold data/gold
          fedkit init analytics --from-gold /lake/gold --bucket acme-gold --aws-account-id 123456789012 --aws-region us-east-1
        """
        from toolkit.scaffold_run import init_project

        result = init_project(
            directory, from_gold=from_gold, bucket=bucket, prefix=prefix, aws_account_id=aws_account_id,
            aws_region=aws_region, bigquery_project=bigquery_project, bigquery_location=bigquery_location,
            snowflake_connection=snowflake_connection, snowflake_database=snowflake_database,
            source_dialect=source_dialect, ddl=ddl,
        )
        fmt = output_format(ctx, output)

        def render() -> None:
            from rich.markup import escape

            for name in result["written"]:
                console().print(f"[green]wrote[/] {escape(str(Path(result['directory']) / name))}")
            for notice in result["notices"]:
                err_console().print(f"[yellow]note:[/] {escape(notice)}")
            if result["tables"]:
                console().print(f"gold tables: {escape(', '.join(result['tables']))}")
            console().print("next: [bold]fedkit validate[/]" + (f"  (in {escape(result['directory'])})"
                                                                if result["directory"] != "." else ""))

        emit(result, fmt, render)
