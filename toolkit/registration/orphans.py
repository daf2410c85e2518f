"""Orphans, the pure part: tables fedkit registered for a gold table that is gone (from S3 or from `gold.tables`).

Such a BigLake table or Snowflake external table reads nothing. Decisions:
- Ownership: fedkit's CREATE puts `managed by fedkit (gold table <name>)` in the table's description (BigQuery, with
  the `managed-by: fedkit` label) / comment (Snowflake). Only a table whose marker names that very table is ever an
  orphan; a table without the marker (made by hand, or by a fedkit older than the marker) is never listed.
- Without `--prune` an orphan is a warning (nothing is deleted); with it, a `delete` action (DROP EXTERNAL TABLE).
  Its S3 auto-refresh entry goes with it: the notification phase wants entries only for the tables registered now.
The same pattern as KPI views (toolkit.registration.view_plan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from toolkit.planning.actions import Action

MARKER = "managed by fedkit"
_MARKER_RE = re.compile(r"managed by fedkit \(gold table (.+)\)\s*$")


@dataclass(frozen=True)
class ObservedTable:
    """A table as the engine lists it: its stored name and its description/comment (fedkit's marker lives there)."""

    name: str
    comment: str = ""
    labels: tuple[tuple[str, str], ...] | None = None  # BigQuery: the table's labels; None on Snowflake


def table_comment(name: str) -> str:
    """The description/comment fedkit's CREATE gives a gold table."""
    return f"{MARKER} (gold table {name})"


def managed_table(comment: str | None) -> str | None:
    """The gold table named by fedkit's marker, or None when fedkit did not make the table."""
    match = _MARKER_RE.search(comment or "")
    return match.group(1) if match else None


def _stored(engine: str, name: str) -> str:
    from toolkit.engines.registry import traits

    return traits(engine).stored_name(name)


def _is_ours(engine: str, table: ObservedTable) -> bool:
    from toolkit.engines.registry import traits

    marked = managed_table(table.comment)
    if marked is None or _stored(engine, marked) != table.name:
        return False  # no marker, or fedkit's marker copied onto a table of another name
    label = traits(engine).ownership_label
    return label is None or label in (table.labels or ())


def find_orphans(engine: str, wanted: Iterable[str], observed: Iterable[ObservedTable]) -> list[ObservedTable]:
    """fedkit's tables (by marker) that no desired gold table names, sorted by stored name."""
    keep = {_stored(engine, name) for name in wanted}
    return sorted((t for t in observed if t.name not in keep and _is_ours(engine, t)), key=lambda t: t.name)


def orphan_detail(table: ObservedTable) -> str:
    return f"orphan: no gold table {managed_table(table.comment)} any more"


def plan_orphans(
    engine: str, container: str, orphans: list[ObservedTable], drop_sql: dict[str, str], prune: bool
) -> tuple[list[Action], list[str]]:
    """(delete actions, warnings): deletes with `--prune`, else one warning per orphan and no action.

    `drop_sql`: stored name -> the DROP statement, rendered from the gold name in the marker (so the identifier
    resolves as the CREATE's did)."""
    from toolkit.engines.registry import traits

    kind = traits(engine).table_resource
    if not prune:
        return [], [f"{kind}/{container}.{t.name}: {orphan_detail(t)}; `fedkit apply --prune` drops it" for t in orphans]
    actions = [Action(engine, "delete", f"{kind}/{container}.{t.name}", orphan_detail(t), drop_sql[t.name],
                      {"op": "drop_orphan", "sql": drop_sql[t.name], "name": t.name, "table": managed_table(t.comment)})
               for t in orphans]
    return actions, []
