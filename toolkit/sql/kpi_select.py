"""`--select`: which KPIs a command works on, by name, shell glob or `tag:x` (dbt's selector words).

Every command that takes KPIs (kpi compile/run/parity/report, validate) selects with this one function, so a selector
means the same everywhere. Selectors are a union, as dbt's space-separated `--select a b`; a comma list in one value
is the same union. A selector that selects nothing is a usage error: a typo must not shrink a CI check silently.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Iterable

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.sql.kpi_files import KpiFile

_GLOB_CHARS = "*?["


def split_selectors(selectors: Iterable[str]) -> list[str]:
    """`--select a,b --select tag:c` -> ['a', 'b', 'tag:c']; an empty value is refused (an unset CI variable)."""
    out: list[str] = []
    for value in selectors:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts:
            raise UsageError(f"--select {value!r}: names no KPI (give a name, a glob like revenue_*, or tag:NAME)")
        out.extend(parts)
    return out


def _matches(kpi: "KpiFile", selector: str) -> bool:
    if selector.lower().startswith("tag:"):
        wanted = selector[4:].strip().lower()
        return any(tag.lower() == wanted for tag in kpi.tags)
    if any(c in selector for c in _GLOB_CHARS):
        return fnmatchcase(kpi.name, selector)
    return kpi.name == selector


def select_kpis(kpis: list["KpiFile"], selectors: Iterable[str]) -> list["KpiFile"]:
    """The KPIs any selector picks, in suite order; every selector must pick at least one."""
    wanted = split_selectors(selectors)
    if not wanted:
        return list(kpis)
    for selector in wanted:
        if selector.lower().startswith("tag:") and not selector[4:].strip():
            raise UsageError(f"--select {selector!r}: names no tag (write tag:NAME)")
        if any(_matches(k, selector) for k in kpis):
            continue
        if selector.lower().startswith("tag:"):
            tags = sorted({t.lower() for k in kpis for t in k.tags})
            raise UsageError(f"--select {selector}: no KPI has this tag; tags: {', '.join(tags) or '(none)'}")
        known = ", ".join(sorted(k.name for k in kpis)) or "(none)"
        raise UsageError(f"--select {selector}: no KPI named or matching it; known: {known}")
    return [k for k in kpis if any(_matches(k, s) for s in wanted)]
