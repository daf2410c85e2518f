"""`fedkit gold`: inspect the gold schemas, write the sample gold layer, publish it to S3."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from toolkit.cli.common import (
    ConfigOption,
    OutputOption,
    config_path,
    console,
    emit,
    err_console,
    load,
    output_format,
)

if TYPE_CHECKING:
    from toolkit.gold.model import Column, GoldCatalog

app = typer.Typer(
    help=(
        "The gold layer: read its Parquet schemas, generate sample data, publish it to S3.\n\n"
        "Example:  fedkit gold sample --out .fedkit/gold && fedkit gold schema"
    ),
    no_args_is_help=True,
)


class Source(str, Enum):
    local = "local"
    s3 = "s3"


@app.command("schema")
def schema(
    ctx: typer.Context,
    source: Annotated[Source, typer.Option("--source", "-s", help="Read gold.local_dir or the S3 copy.")] = Source.local,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Show every gold table's columns with their type on each engine fedkit registers on (read from Parquet footers).

    Example:  fedkit gold schema --source s3 --output json
    """
    from toolkit.gold.schema import read_catalog

    loaded = load(ctx, config)
    catalog = read_catalog(loaded, source=source.value)
    from rich.markup import escape

    from toolkit.engines.registry import configured_engines

    configured = frozenset(configured_engines(loaded))
    shown = _shown_engines(configured)
    emit(_catalog_json(catalog, shown), output_format(ctx, output), lambda: _render_catalog(catalog, shown))
    for problem in _unsupported(catalog, configured, shown):
        err_console().print(f"[yellow]warning:[/] {escape(problem)} (registration on that engine will refuse it)")


def _engine_type(column: "Column", engine: str, table: str) -> tuple[str | None, str | None]:
    """(type, None), or (None, why) for a column the engine cannot hold (its type) or, on BigQuery, cannot read (its
    name: external tables take no flexible column names): an inspection shows it, registration refuses it."""
    from toolkit.types import UnsupportedType

    try:
        rendered = column.render(engine, table)
    except UnsupportedType as exc:
        return None, exc.message
    name_problem = _name_problem(column, engine, table)
    return (None, name_problem) if name_problem else (rendered, None)


def _shown_engines(configured: frozenset[str]) -> tuple[str, ...]:
    """The engines fedkit registers gold tables on, through DDL or an API (an optional one, Glue, only when the
    config has its section): their column types are what `gold schema` shows."""
    from toolkit.engines.registry import engines_that

    return engines_that(lambda t: (t.registers_tables or t.registers_by_api)
                        and (not t.optional or t.name in configured))


def _name_problem(column: "Column", engine: str, table: str) -> str | None:
    from toolkit.engines.registry import traits

    return traits(engine).column_problem(table, column)


def _unsupported(catalog: "GoldCatalog", configured: frozenset[str], shown: tuple[str, ...]) -> list[str]:
    """The warnings: every type an engine cannot hold; a name an engine cannot read only when that engine is
    configured (a Snowflake-only project keeps names BigQuery cannot read, which Snowflake quotes exactly)."""
    return [why for table in catalog.tables for column in table.columns for engine in shown
            for _, why in [_engine_type(column, engine, table.name)]
            if why and (engine in configured or not _name_problem(column, engine, table.name))]


def _catalog_json(catalog: "GoldCatalog", shown: tuple[str, ...]) -> dict:
    """The catalog plus, per column, the types the text view shows (a script should not need the type map);
    a type no engine type holds is null, with the reason under `unsupported`."""
    data = catalog.to_json()
    for table, table_json in zip(catalog.tables, data["tables"]):
        for column, column_json in zip(table.columns, table_json["columns"]):
            for engine in shown:
                rendered, why = _engine_type(column, engine, table.name)
                column_json[engine] = rendered
                if why:
                    column_json.setdefault("unsupported", {})[engine] = why
    return data


def _render_catalog(catalog: "GoldCatalog", shown_engines: tuple[str, ...]) -> None:
    """An overview of the tables, then one table of columns per gold table; fits an 80-column terminal."""
    from rich.markup import escape
    from rich.table import Table

    from toolkit.engines.registry import traits
    from toolkit.sandbox.manager import display_path

    def shown(location: str) -> str:
        return location if location.startswith("s3://") else display_path(location)

    parents = {table.location.rsplit("/", 1)[0] for table in catalog.tables}
    root = shown(parents.pop()) if len(parents) == 1 else None
    overview = Table(title=escape(f"Gold tables in {root}" if root else "Gold tables"), title_justify="left")
    for header, justify in (("table", "left"), ("rows", "right"), ("bytes", "right"), ("files", "right"), ("partitioned by", "left")):
        overview.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    if root is None:
        overview.add_column("location", overflow="fold")
    for table in catalog.tables:
        partitions = escape(", ".join(table.partition_columns)) or "-"  # names are data, never markup
        cells = [escape(table.name), f"{table.row_count:,}", f"{table.bytes:,}", str(table.files), partitions]
        overview.add_row(*cells, *([] if root else [escape(shown(table.location))]))
    console().print(overview)
    for table in catalog.tables:
        columns = Table(title=escape(table.name), title_justify="left", title_style="bold")
        for header in ("column", "Arrow type", *(traits(engine).title for engine in shown_engines)):
            # Arrow names (`timestamp[us, tz=UTC]`) are the long ones: they fold on a narrow terminal, the rest never break.
            columns.add_column(header, no_wrap=header != "Arrow type", overflow="fold" if header == "Arrow type" else "ellipsis")
        for column in table.columns:
            name = escape(column.name) + (" [dim](partition)[/]" if column.partition else "")
            arrow = escape(column.arrow_type) if column.arrow_type else str(column.type)
            types = [_engine_type(column, engine, table.name)[0]
                     or ("[red]not readable[/]" if _name_problem(column, engine, table.name)
                         else "[red]unsupported[/]") for engine in shown_engines]
            columns.add_row(name, arrow, *types)
        console().print(columns)


@app.command("sample")
def sample(
    ctx: typer.Context,
    out: Annotated[
        Optional[Path], typer.Option("--out", help="Folder to write (default: gold.local_dir of the config).")
    ] = None,
    orders: Annotated[int, typer.Option("--orders", min=1, help="Number of orders in fact_sales.")] = 5000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed; same seed, same bytes.")] = 42,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Write the sample e-commerce gold layer (star schema + a mixed-case Amazon-style table) as Parquet.

    Example:  fedkit gold sample --out .fedkit/gold --orders 20000 --seed 7
    """
    import time

    from toolkit.cli.progress import step
    from toolkit.errors import UsageError
    from toolkit.gold.sample import write_sample

    if out is None:
        path = config_path(ctx, config)
        if not path.exists():
            raise UsageError(f"--out is required (no config at {path} to read gold.local_dir from)")
        loaded = load(ctx, config)
        if not loaded.config.gold.local_dir:
            raise UsageError(f"--out is required ({loaded.path} sets no gold.local_dir)")
        out = loaded.resolve(loaded.config.gold.local_dir)
    started = time.perf_counter()
    with step(f"writing the sample gold layer ({orders:,} orders)"):
        summary = write_sample(out, orders=orders, seed=seed)
    seconds = round(time.perf_counter() - started, 3)
    data = {"out": str(out), "orders": orders, "seed": seed, "tables": summary, "seconds": seconds}

    def render() -> None:
        from rich.table import Table

        table = Table(title=f"Sample gold layer in {out} ({seconds:.2f} s)")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, rows in summary.items():
            table.add_row(name, f"{rows:,}")
        console().print(table)

    emit(data, output_format(ctx, output), render)


@app.command("publish")
def publish(
    ctx: typer.Context,
    delete: Annotated[
        bool,
        typer.Option(
            "--delete",
            help="Also delete objects under the prefix that are no longer in gold.local_dir (like `aws s3 sync --delete`).",
        ),
    ] = False,
    create_bucket: Annotated[
        bool,
        typer.Option("--create-bucket", help="Create gold.bucket in aws.region first if it does not exist."),
    ] = False,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Upload gold.local_dir to s3://bucket/prefix/, skipping files already there with the same content.

    Objects under the prefix with no local file are listed as stale (the engines still read them); --delete removes them.

    Example:  fedkit gold publish --create-bucket --config config/federation.yaml
    """
    from toolkit.cli.progress import step
    from toolkit.gold.publish import publish as publish_gold

    loaded = load(ctx, config)
    with step("publishing gold", unit="bytes") as work:
        summary = publish_gold(loaded, progress=lambda done, total: work.advance(done, total=total), delete=delete,
                               create_bucket=create_bucket)

    def render() -> None:
        from toolkit.cli.common import err_console

        if summary.created_bucket:
            console().print(f"created bucket s3://{summary.bucket}")
        console().print(
            f"s3://{summary.bucket}/{summary.prefix}: {summary.uploaded} uploaded "
            f"({summary.bytes_uploaded:,} bytes), {summary.skipped} unchanged, {summary.files} files in all"
            + (f", {summary.deleted} stale deleted" if summary.deleted else "")
        )
        if summary.stale_keys and not summary.deleted:
            shown = ", ".join(summary.stale_keys[:3]) + (", ..." if len(summary.stale_keys) > 3 else "")
            err_console().print(
                f"[yellow]warning:[/] {len(summary.stale_keys)} object(s) under s3://{summary.bucket}/{summary.prefix} "
                f"are not in gold.local_dir and engines still read them ({shown}); `fedkit gold publish --delete` "
                "removes them"
            )

    emit(summary.to_json(), output_format(ctx, output), render)
