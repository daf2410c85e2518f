"""A parity report for people: the KPI x engine matrix, then what differs (rows side by side) or failed, then the
notes every report carries (the reference, the data, the tolerance, which oracles are independent)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from toolkit.sql.parity.compare import format_value
from toolkit.sql.parity.model import ParityReport

if TYPE_CHECKING:
    from rich.console import Console

    from toolkit.sql.parity.runner import Progress

CELL = {"pass": "[green]pass[/]", "mismatch": "[bold red]MISMATCH[/]", "type-mismatch": "[bold red]TYPE-MISMATCH[/]",
        "empty": "[magenta]EMPTY[/]", "timeout": "[yellow]TIMEOUT[/]", "error": "[yellow]ERROR[/]"}


def summary_line(report: ParityReport) -> str:
    counts = report.counts()
    rare = "".join(f", {counts[s]} {s}" for s in ("type-mismatch", "empty", "timeout") if counts.get(s))
    return (f"{len(report.kpis)} KPI(s) x {len(report.engines)} engine(s): {counts['pass']} pass, "
            f"{counts['mismatch']} mismatch{rare}, {counts['error']} error ({report.seconds:.1f} s)")


def matrix_table(report: ParityReport):
    from rich.table import Table

    table = Table(title="KPI parity", title_justify="left", header_style="bold")
    table.add_column("KPI")
    for engine in report.engines:
        independent = report.oracles.get(engine)
        mark = "" if independent is None or independent.independent else " *"
        table.add_column(engine + mark, justify="center")
    table.add_column("rows", justify="right")
    for run in report.kpis:
        cells = []
        for engine in report.engines:
            result = report.result(run.name, engine)
            cells.append(CELL.get(result.status, result.status) if result else "-")
        rows = str(run.reference.num_rows) if run.reference is not None else "-"
        table.add_row(run.name, *cells, rows)
    return table


def _difference_table(result, columns: tuple[str, ...]):
    from rich.markup import escape
    from rich.table import Table

    comparison = result.comparison
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("side", style="dim")
    for column in columns:
        table.add_column(escape(column))
    for left, right in zip(comparison.reference_rows, comparison.engine_rows):
        table.add_row("reference", *(escape(format_value(v)) for v in left))
        table.add_row(f"[red]{result.engine}[/]", *(escape(format_value(v)) for v in right))
    extra_left = comparison.reference_rows[len(comparison.engine_rows):]
    extra_right = comparison.engine_rows[len(comparison.reference_rows):]
    for left in extra_left:
        table.add_row("reference", *(escape(format_value(v)) for v in left))
    for right in extra_right:
        table.add_row(f"[red]{result.engine}[/]", *(escape(format_value(v)) for v in right))
    return table


def print_report(report: ParityReport, console: "Console", details: bool = True) -> None:
    """The matrix, the details of every non-passing cell, the notes and a one-line summary."""
    from rich.markup import escape

    console.print(matrix_table(report))
    if any(not info.independent for info in report.oracles.values()):
        console.print("[dim]* not an independent oracle (see notes)[/]")
    if details:
        for result in report.results:
            if result.status == "pass":
                continue
            cell = CELL.get(result.status, result.status)
            console.print(f"\n[bold]{escape(result.kpi)}[/] on [bold]{result.engine}[/]: {cell}")
            console.print("  " + escape(result.message))
            if result.status != "empty" and result.comparison is not None and (
                    result.comparison.reference_rows or result.comparison.engine_rows):
                console.print(_difference_table(result, result.comparison.columns))
    console.print()
    for line in report.notes():
        console.print(f"[dim]{escape(line)}[/]")
    style = "green" if report.ok else "bold red"
    console.print(f"[{style}]{escape(summary_line(report))}[/]")


@contextmanager
def parity_progress(console: "Console") -> Iterator["Progress"]:
    """Progress fed by `run_parity(progress=...)`, on `console` (usually stderr): a rich bar in a terminal; outside
    one (CI logs, `fedkit kpi parity | cat`), one plain line per finished reference and KPI x engine with its status
    and seconds, written as it happens so a log never sits silent for minutes."""
    if not console.is_terminal:
        file = console.file

        def line(done: int, total: int, label: str) -> None:
            if label == "done":
                return
            file.write(f"parity [{done}/{total}] {label}\n")
            file.flush()

        yield line
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("parity", total=None)

        def update(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=f"parity {label}")

        yield update
