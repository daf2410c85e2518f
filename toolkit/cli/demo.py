"""`fedkit demo`: the whole story on the embedded sandbox, no cloud account needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from toolkit.cli.common import ConfigOption, Output, OutputOption, console, emit, err_console, load, output_format

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog


def _render_catalog(catalog: "GoldCatalog") -> None:
    from rich.table import Table

    table = Table(title="Gold tables in S3 (sandbox)", title_justify="left")
    table.add_column("table", no_wrap=True)
    table.add_column("rows", justify="right")
    table.add_column("files", justify="right")
    table.add_column("columns", justify="right")
    table.add_column("partitioned by")
    for gold_table in catalog.tables:
        table.add_row(
            gold_table.name,
            f"{gold_table.row_count:,}",
            str(gold_table.files),
            str(len(gold_table.columns)),
            ", ".join(gold_table.partition_columns) or "-",
        )
    console().print(table)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        ctx: typer.Context,
        orders: int = typer.Option(3000, "--orders", min=1, help="Orders in the sample fact table."),
        seed: int = typer.Option(42, "--seed", min=0, help="Random seed of the sample."),
        config: ConfigOption = None,
        output: OutputOption = None,
    ) -> None:
        """Run the whole flow on the embedded sandbox: start it, write sample gold data, publish it to S3, register it
        (`apply --yes`: BigQuery, Snowflake, Glue), count fact_sales on every engine side by side (Athena and Redshift
        through their DuckDB stand-ins, not independent oracles), prove KPI parity on every configured engine.

        Safe to run again: every step skips what is already done and says so. The sandbox stays up afterwards.

        Example:  fedkit demo --config config/federation.yaml
        """
        from toolkit.sandbox.demo_steps import NEXT_STEPS, DemoContext, run_demo
        from toolkit.sandbox.extra import require_sandbox_extra

        from rich.markup import escape

        require_sandbox_extra("fedkit demo")
        fmt = output_format(ctx, output)
        loaded = load(ctx, config)
        people = fmt is Output.text

        def on_step(step, result) -> None:  # type: ignore[no-untyped-def]
            if people:
                mark = "[green]done[/]   " if result.status == "done" else "[dim]skipped[/]"
                console().print(f"{mark} {escape(step.title)}: {escape(result.detail)}")

        from toolkit.cli.progress import step

        with step("demo: gold published", unit="bytes") as work:
            def on_bytes(done: int, total: int) -> None:
                work.advance(done, total=total)

            def on_demo_step(demo_step, result) -> None:  # type: ignore[no-untyped-def]
                work.detail = f"{demo_step.title} done"
                on_step(demo_step, result)

            demo_ctx = DemoContext(loaded=loaded, orders=orders, seed=seed, progress=on_bytes)
            results = run_demo(demo_ctx, on_step=on_demo_step)

        def render() -> None:
            if demo_ctx.catalog is not None:
                _render_catalog(demo_ctx.catalog)
            if demo_ctx.parity is not None:
                from toolkit.sql.parity.demo import render_parity_step

                console().print()
                render_parity_step(demo_ctx, console())
            console().print("\nNext steps:")
            width = max(len(command) for command, _ in NEXT_STEPS)
            for command, why in NEXT_STEPS:
                console().print(f"  [bold]{escape(command.ljust(width))}[/]  [dim]# {escape(why)}[/]")
            skipped = [name for name, result in results.items() if result.status == "skipped"]
            if skipped:
                err_console().print(f"[dim]skipped (already done): {', '.join(skipped)}[/]")

        data = {
            "steps": [{"name": name, "status": r.status, "detail": r.detail, **({"data": r.data} if r.data else {})} for name, r in results.items()],
            "catalog": demo_ctx.catalog.to_json() if demo_ctx.catalog is not None else None,
            "env": demo_ctx.env,
            "next_steps": [command for command, _ in NEXT_STEPS],
        }
        emit(data, fmt, render)
