"""`fedkit kpi report --html`: run the suite on DuckDB over all the gold data and parity over a sample, then write
the page (toolkit/report/page.py renders it)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from toolkit.errors import UsageError
from toolkit.report.chart_spec import Declared
from toolkit.report.page import KpiSection, render_html
from toolkit.sql.parity.model import ParityReport

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.sql.kpi_files import KpiFile
    from toolkit.sql.parity.runner import Progress


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    kpis: list[str]
    parity: ParityReport


def project_path(path: Path | str, root: Path) -> str:
    """A path as the page shows it: relative to the project, or just its name when outside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return path.name


def declared_chart(kpi: "KpiFile") -> Declared:
    """The header's chart keys; errors about them name the KPI file as the user gave it (stderr, not the page)."""
    return Declared.from_header(kpi.header, {key: f"{kpi.path}:{line}" for key, line in kpi.header_lines.items()})


def kpi_sections(loaded: "LoadedConfig", kpis: list, catalog: Any, data: dict[str, "pa.Table"]) -> list[KpiSection]:
    """Each KPI compiled for DuckDB and run over `data` (all rows)."""
    from toolkit.errors import FedkitError
    from toolkit.sql.compile import compile_kpi
    from toolkit.sql.parity.compare import order_spec, table_rows
    from toolkit.sql.parity.oracle import OracleError, make_oracle

    oracle = make_oracle("duckdb")
    sections = []
    try:
        for kpi in kpis:
            common = {"name": kpi.name, "description": kpi.description, "header": dict(kpi.header),
                      "source_sql": kpi.text[_body_start(kpi.text, kpi.body_offset_lines):],
                      "declared": declared_chart(kpi)}
            started = time.perf_counter()
            try:
                sql = compile_kpi(kpi, "duckdb", loaded, catalog).sql
                table = oracle.run(sql, data)
            except (FedkitError, OracleError) as exc:
                sections.append(KpiSection(**common, error=exc.message))
                continue
            seconds = time.perf_counter() - started
            sections.append(KpiSection(**common, columns=tuple(table.column_names), rows=tuple(table_rows(table)),
                                       seconds=seconds, order_keys=order_spec(sql, "duckdb").keys or ()))
    finally:
        oracle.close()
    return sections


def _body_start(text: str, lines: int) -> int:
    position = 0
    for _ in range(lines):
        position = text.find("\n", position) + 1 or len(text)
    return position


def build_report(
    loaded: "LoadedConfig",
    out: Path,
    *,
    engines: Sequence[str] | None = None,
    sample_rows: int | None = 2000,
    kpi_names: Iterable[str] = (),
    paths: Iterable[Path] = (),
    seed: int = 42,
    max_rows: int = 50,
    progress: "Progress | None" = None,
) -> WrittenReport:
    """Run the suite on DuckDB (all rows) and parity (a sample), then write the page to `out`."""
    from toolkit.sql import suite
    from toolkit.sql.parity.runner import read_gold_data, run_parity

    out = Path(out)
    if out.exists() and out.is_dir():
        raise UsageError(f"--html: {out} is a folder; give a file name such as {out / 'kpi-report.html'}")
    kpis = suite.load_suite(loaded, kpi_names, paths)
    catalog = suite.suite_catalog(loaded)
    data = read_gold_data(catalog)
    sections = kpi_sections(loaded, kpis, catalog, data)
    parity = run_parity(loaded, engines, sample_rows, seed=seed, catalog=catalog, data=data, kpis=kpis,
                        progress=progress)
    subtitle = (f"{len(kpis)} KPIs from {project_path(loaded.path, loaded.root)}; results on DuckDB over all gold "
                f"rows; parity over {parity.sample}")
    text = render_html(sections, parity, subtitle=subtitle, max_rows=max_rows, root=loaded.root)
    try:
        from toolkit.fsutil import atomic_write, new_file_mode

        atomic_write(out, text, mode=new_file_mode())  # a page to share: readable as any new file, not mkstemp's 0600
    except OSError as exc:
        raise UsageError(f"--html: cannot write {out}: {exc.strerror or exc}") from None
    return WrittenReport(out, [k.name for k in kpis], parity)
