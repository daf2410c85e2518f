"""How `fedkit kpi compile/run` show their results: SQL text, files, result tables, JSON and CSV."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from toolkit.cli.common import console, err_console

if TYPE_CHECKING:
    from toolkit.sql.compile import CompiledQuery
    from toolkit.sql.kpi_files import KpiFile
    from toolkit.sql.suite import KpiRun, Refusal


def write_compiled(compiled: list[tuple["KpiFile", "CompiledQuery"]], out: Path) -> list[Path]:
    from toolkit.sql.suite import compiled_file_text

    written = []
    for kpi, query in compiled:
        path = out / query.engine / f"{kpi.name}.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(compiled_file_text(kpi, query), encoding="utf-8")
        written.append(path)
    return written


def print_compiled(compiled: list[tuple["KpiFile", "CompiledQuery"]], written: list[Path]) -> None:
    if written:
        from rich.table import Table

        table = Table(title=f"Compiled {len(written)} queries")
        for header in ("engine", "kpi", "file", "rules"):
            table.add_column(header, overflow="fold")
        for (kpi, query), path in zip(compiled, written):
            table.add_row(query.engine, kpi.name, str(path), str(len(query.notes)))
        console().print(table)
        return
    from toolkit.sql.suite import compiled_file_text

    out = sys.stdout
    for index, (kpi, query) in enumerate(compiled):
        if index:
            out.write("\n")
        out.write(compiled_file_text(kpi, query))
    out.flush()


def print_refusals(refused: list["Refusal"], total: int) -> None:
    """One self-contained line per refused KPI x engine on stderr, then fail the command (exit 1): like `validate`,
    the KPIs that compile are still shown or written."""
    from rich.markup import escape

    from toolkit.errors import CheckFailed

    for refusal in refused:
        err_console().print(escape(f"refused: {refusal.message}"))
    raise CheckFailed(f"{len(refused)} of {total} KPI compilations refused (listed above); the others were compiled")


@contextlib.contextmanager
def kpi_progress(total: int, label: str) -> Iterator[Callable[["KpiRun"], None]]:
    """A progress bar on stderr (silent without a terminal); yields the callback to call after each KPI."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console(), transient=True, disable=not err_console().is_terminal) as bar:
        task = bar.add_task(label, total=total)

        def advance(run: "KpiRun") -> None:
            bar.update(task, advance=1, description=f"{label}: {run.kpi}")

        yield advance


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return text(value)


def text(value: Any) -> str:
    """A value as people and CSV readers expect it: decimals in plain notation (a NUMERIC zero is 0.000000000, not
    Python's 0E-9), everything else as str()."""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    return str(value)


def runs_json(runs: list["KpiRun"]) -> dict[str, Any]:
    results = []
    for run in runs:
        item: dict[str, Any] = {"kpi": run.kpi, "engine": run.engine, "seconds": round(run.seconds, 4),
                                "status": "ok" if run.ok else "error"}
        if run.note:
            item["note"] = run.note
        if run.table is not None:
            item["columns"] = run.table.schema.names
            item["rows"] = [[_cell(v) for v in row.values()] for row in run.table.to_pylist()]
        else:
            item["message"] = run.error
        results.append(item)
    return {"results": results}


def runs_csv(runs: list["KpiRun"]) -> str:
    """One CSV section per KPI, introduced by `# kpi: NAME` and `# seconds: S` (its timing, as in text and JSON),
    then `# note:` when the engine gave one; a failed KPI has `# error:` instead of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for index, run in enumerate(runs):
        if index:
            buffer.write("\n")
        buffer.write(f"# kpi: {run.kpi}\n# seconds: {run.seconds:.4f}\n")
        if run.note:
            buffer.write(f"# note: {run.note}\n")
        if run.table is None:
            buffer.write(f"# error: {run.error}\n")
            continue
        writer.writerow(run.table.schema.names)
        for row in run.table.to_pylist():
            writer.writerow(["" if v is None else text(v) if isinstance(v, Decimal) else v for v in row.values()])
    return buffer.getvalue()


def print_runs(runs: list["KpiRun"], fmt: str, max_rows: int) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(runs_json(runs), indent=2, default=str) + "\n")
        return
    if fmt == "csv":
        sys.stdout.write(runs_csv(runs))
        return
    from rich.markup import escape
    from rich.table import Table

    for run in runs:
        if run.table is None:
            console().print(f"[bold red]{escape(run.kpi)}[/] failed on {run.engine}: {escape(run.error or '')}")
            continue
        rows = run.table.to_pylist()
        plural = "" if len(rows) == 1 else "s"
        table = Table(title=f"{run.kpi} ({run.engine}, {len(rows)} row{plural}, {run.seconds:.3f} s)",
                      title_justify="left")
        for name in run.table.schema.names:
            table.add_column(name, overflow="fold")
        for row in rows[:max_rows]:
            table.add_row(*("NULL" if v is None else escape(text(v)) for v in row.values()))
        console().print(table)
        if run.note:
            console().print(f"  note: {escape(run.note)}")
        if len(rows) > max_rows:
            console().print(f"  … {len(rows) - max_rows} more rows (use --output csv or --max-rows)")
    summary = Table(title="KPI timings")
    for header, justify in (("kpi", "left"), ("status", "left"), ("rows", "right"), ("seconds", "right")):
        summary.add_column(header, justify=justify)  # type: ignore[arg-type]
    for run in runs:
        summary.add_row(run.kpi, "ok" if run.ok else "error",
                        str(run.table.num_rows) if run.table is not None else "-", f"{run.seconds:.3f}")
    console().print(summary)
