"""How `fedkit kpi compile/run` show their results: SQL text, files, result tables and JSON (values: kpi_values)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.cli.common import console, err_console
from toolkit.cli.kpi_values import dumps, json_cell, plain_decimal, rows

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


def text(value: Any) -> str:
    """A value as people expect it: decimals in plain notation (a NUMERIC zero is 0.000000000, not Python's 0E-9),
    everything else as str()."""
    if isinstance(value, Decimal) and value.is_finite():
        return plain_decimal(value)
    return str(value)


def runs_json(runs: list["KpiRun"], decimals_as_strings: bool = False) -> dict[str, Any]:
    """The documented JSON of `kpi run` (values: see toolkit.cli.kpi_values); write it with kpi_values.dumps."""
    results = []
    for run in runs:
        item: dict[str, Any] = {"kpi": run.kpi, "engine": run.engine, "seconds": round(run.seconds, 4),
                                "status": "ok" if run.ok else "error", "partial": run.partial}
        if run.note:
            item["note"] = run.note
        if run.table is not None:
            item["columns"] = run.table.schema.names
            item["rows"] = [[json_cell(v, decimals_as_strings) for v in row] for row in rows(run.table)]
        else:
            item["message"] = run.error
        results.append(item)
    return {"results": results}


def print_runs(runs: list["KpiRun"], fmt: str, max_rows: int, decimals_as_strings: bool = False) -> None:
    """Text for people or the JSON of runs_json on stdout (CSV is written by the caller: one KPI per file)."""
    if fmt == "json":
        sys.stdout.write(dumps(runs_json(runs, decimals_as_strings)) + "\n")
        return
    from rich.markup import escape
    from rich.table import Table

    for run in runs:
        if run.table is None:
            console().print(f"[bold red]{escape(run.kpi)}[/] failed on {run.engine}: {escape(run.error or '')}")
            continue
        found = rows(run.table)
        plural = "" if len(found) == 1 else "s"
        table = Table(title=f"{run.kpi} ({run.engine}, {len(found)} row{plural}, {run.seconds:.3f} s)",
                      title_justify="left")
        for name in run.table.schema.names:
            table.add_column(name, overflow="fold")
        for row in found[:max_rows]:
            table.add_row(*("NULL" if v is None else escape(text(v)) for v in row))
        console().print(table)
        if run.note:
            console().print(f"  note: {escape(run.note)}")
        if len(found) > max_rows:
            console().print(f"  … {len(found) - max_rows} more rows (use --output csv or --max-rows)")
    summary = Table(title="KPI timings")
    for header, justify in (("kpi", "left"), ("status", "left"), ("rows", "right"), ("seconds", "right")):
        summary.add_column(header, justify=justify)  # type: ignore[arg-type]
    for run in runs:
        summary.add_row(run.kpi, "ok" if run.ok else "error",
                        str(run.table.num_rows) if run.table is not None else "-", f"{run.seconds:.3f}")
    console().print(summary)
