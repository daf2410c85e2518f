"""`fedkit kpi parity` and `fedkit kpi report`: prove the suite gives the same rows everywhere, and show it.

Added to the `fedkit kpi` app by `toolkit.cli.kpi` (its extension list calls `register(app)`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from toolkit.cli.common import ConfigOption, EnginesOption, OutputOption, SelectOption, emit, err_console, load, output_format
from toolkit.cli.kpi import PathsArgument

# Same as toolkit.sql.parity.runner.DEFAULT_SAMPLE_ROWS (a test checks): not imported, so the CLI stays light.
DEFAULT_SAMPLE_ROWS = 2000

SampleOption = Annotated[
    int,
    typer.Option("--sample-rows", "-n", min=0,
                 help="Cap on fact rows: a key-consistent sample (whole orders and the dimension rows they use); "
                      "0 = all rows. The BigQuery oracle (ZetaSQL's evaluator) runs about 3,000 rows/s."),
]
KpiNames = SelectOption  # one grammar: --select (names, globs, tag:x), --kpi kept as its alias
SeedOption = Annotated[int, typer.Option("--seed", min=0, help="Seed of the sample.")]
# Same as toolkit.sql.parity.runner.DEFAULT_TIMEOUT (a test checks).
DEFAULT_TIMEOUT = 60.0
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0, help="Seconds each oracle gets per KPI; past it the query is stopped and "
                                          "reported `timeout` (exit 1). 0 = no limit."),
]


def parity(
    ctx: typer.Context,
    paths: PathsArgument = None,
    engines: EnginesOption = None,
    sample_rows: SampleOption = DEFAULT_SAMPLE_ROWS,
    kpi: KpiNames = None,
    seed: SeedOption = 42,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    allow_empty: Annotated[bool, typer.Option(
        "--allow-empty", help="Accept KPIs that return no rows (or only NULLs) on the sample: reported `empty`, "
                              "exit 0. Without it they exit 1: agreeing on nothing proves nothing.")] = False,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Run every KPI on each engine over the same data and compare the rows with the KPI as written.

    Oracles: ZetaSQL's evaluator (BigQuery), fakesnow (Snowflake; not independent, it runs on sqlglot), DuckDB.

    Exit 1 on any mismatch, type-mismatch, timeout, error, or empty result (unless --allow-empty).
    Progress goes to stderr: a bar in a terminal, one line per KPI x engine otherwise (CI logs).

    Example:  fedkit kpi parity --engines bigquery,snowflake --sample-rows 1000 --output json
    """
    from toolkit.errors import CheckFailed
    from toolkit.sql.parity.render import parity_progress, print_report, summary_line
    from toolkit.sql.parity.runner import run_parity

    from toolkit.cli.common import console

    loaded = load(ctx, config)
    with parity_progress(err_console()) as progress:
        report = run_parity(loaded, engines=engines.split(",") if engines is not None else None, sample_rows=sample_rows, kpi_names=kpi or [],
                            paths=paths or [], seed=seed, progress=progress, timeout=timeout or None)
    emit(report.to_json(), output_format(ctx, output), lambda: print_report(report, console()))
    if not report.passes(allow_empty=allow_empty):
        raise CheckFailed(f"parity failed: {summary_line(report)}")


def report(
    ctx: typer.Context,
    html: Annotated[Path, typer.Option("--html", help="Write the self-contained HTML page here.")],
    paths: PathsArgument = None,
    engines: EnginesOption = None,
    sample_rows: SampleOption = DEFAULT_SAMPLE_ROWS,
    kpi: KpiNames = None,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Rows shown per KPI table.")] = 50,
    seed: SeedOption = 42,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Write one self-contained HTML page: each KPI's rows and chart, and the parity matrix.

    Rows come from DuckDB over all the gold data; parity runs over a sample. Exit 0 even when parity fails.

    Example:  fedkit kpi report --html build/kpi-report.html
    """
    from toolkit.sql.parity.render import parity_progress, summary_line
    from toolkit.report.build import build_report

    from toolkit.cli.common import console

    loaded = load(ctx, config)
    with parity_progress(err_console()) as progress:
        written = build_report(loaded, html, engines=engines.split(",") if engines is not None else None, sample_rows=sample_rows,
                               kpi_names=kpi or [], paths=paths or [], seed=seed, max_rows=max_rows,
                               progress=progress)
    data = {"html": str(written.path), "kpis": written.kpis, "parity": written.parity.to_json()["results"]}
    emit(data, output_format(ctx, output),
         lambda: console().print(f"wrote {written.path} ({len(written.kpis)} KPIs; parity: "
                                 f"{summary_line(written.parity)})"))


def register(app: typer.Typer) -> None:
    app.command("parity")(parity)
    app.command("report")(report)
