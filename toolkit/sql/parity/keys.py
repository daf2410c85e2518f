"""The join keys a parity run states before looking at the data: the KPI suite's join conditions and the config's
`gold.relationships`, as `KeyHint`s for the sampler (`toolkit.sql.parity.sample_keys` directs them by the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from toolkit.errors import FedkitError, UsageError
from toolkit.sql.parity.sample_keys import KeyHint

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.kpi_files import KpiFile


def key_hints(loaded: "LoadedConfig", catalog: "GoldCatalog", kpis: Iterable["KpiFile"]) -> list[KeyHint]:
    """The config's relationships (checked against the catalog: UsageError) then every KPI's join keys."""
    return [*config_hints(loaded, catalog), *suite_hints(loaded, catalog, kpis)]


def suite_hints(loaded: "LoadedConfig", catalog: "GoldCatalog", kpis: Iterable["KpiFile"]) -> list[KeyHint]:
    """Equi-join keys of the KPIs' source SQL (a KPI whose refs do not render gives none: its run reports why)."""
    from toolkit.sql.parity.query_keys import query_join_pairs
    from toolkit.sql.refs import render_refs

    columns = {table.name: [c.name for c in table.columns] for table in catalog.tables}
    hints: dict[tuple[str, str, str, str], KeyHint] = {}
    for kpi in kpis:
        try:
            sql = render_refs(kpi.text, "source", loaded, path=kpi.path, catalog=catalog)
        except FedkitError:
            continue
        for pair in query_join_pairs(sql, loaded.config.kpi.source_dialect, columns):
            hints.setdefault(tuple(p.lower() for p in pair), KeyHint(*pair, source="query"))  # type: ignore[arg-type]
    return list(hints.values())


def config_hints(loaded: "LoadedConfig", catalog: "GoldCatalog") -> list[KeyHint]:
    """`gold.relationships`, each side resolved to a catalog table and column (case-insensitive); the first side
    that names no gold table or column is a one-line UsageError at its line of the config (exit 2)."""
    problems = relationship_problems(loaded, catalog)
    if problems:
        line, field, problem = problems[0]
        where = f"{loaded.path}:{line}" if line else str(loaded.path)
        raise UsageError(f"{where}: {field}: {problem}")
    hints = []
    for relationship in loaded.config.gold.relationships:
        ends = [_resolve(catalog, value) for value in (relationship.from_, relationship.to)]
        hints.append(KeyHint(*ends[0][0], *ends[1][0], source="config", directed=True))  # type: ignore[misc]
    return hints


def relationship_problems(loaded: "LoadedConfig", catalog: "GoldCatalog") -> list[tuple[int | None, str, str]]:
    """(config line, field, problem) of every relationship side that names no gold table or column
    (`fedkit validate` reports them all; parity refuses the first)."""
    problems = []
    lines = None
    for index, relationship in enumerate(loaded.config.gold.relationships):
        for field, value in (("from", relationship.from_), ("to", relationship.to)):
            problem = _resolve(catalog, value)[1]
            if problem is None:
                continue
            if lines is None:
                lines = _yaml_root(loaded)
            problems.append((_line(lines, index, field), f"gold.relationships.{index}.{field}", problem))
    return problems


def _resolve(catalog: "GoldCatalog", value: str) -> tuple[tuple[str, str] | None, str | None]:
    """((table, column), None) of `table.column`, or (None, the problem); a table name may hold dots, so every split
    is tried."""
    parts = value.split(".")
    for cut in range(1, len(parts)):
        table = catalog.table(".".join(parts[:cut]))
        if table is None:
            continue
        column = ".".join(parts[cut:])
        found = next((c.name for c in table.columns if c.name.lower() == column.lower()), None)
        if found is None:
            shown = ", ".join(c.name for c in table.columns)
            return None, f"table {table.name} has no column {column!r} (columns: {shown})"
        return (table.name, found), None
    return None, f"no gold table {parts[0]!r} (tables: {', '.join(catalog.names)}); write table.column"


def _yaml_root(loaded: "LoadedConfig"):
    try:
        from toolkit.config_yaml import read_config_yaml

        return read_config_yaml(loaded.path).root
    except Exception:  # the file moved since it was loaded: the problem is named without a line
        return False


def _line(root, index: int, field: str) -> int | None:
    from toolkit.config_errors import line_of

    return line_of(root, ("gold", "relationships", str(index), field)) if root else None
