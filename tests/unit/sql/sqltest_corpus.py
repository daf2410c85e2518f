"""The tricky-query corpus (tests/corpus/tricky/*.sql): files, and which engines each is expected to refuse."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.sql.kpi_files import KpiFile, load_kpi_files

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "tricky"
_EXPECT = re.compile(r"^--\s*expect:\s*(.*)$", re.MULTILINE)


def corpus() -> list[KpiFile]:
    return load_kpi_files([CORPUS])


def refused_engines(query: KpiFile) -> set[str]:
    """Engines named after `unportable on` in the `-- expect:` line (empty when portable)."""
    match = _EXPECT.search(query.text)
    text = match.group(1) if match else "portable"
    found = re.match(r"unportable on ([a-z, ]+?)(;|$)", text)
    return {e.strip() for e in found.group(1).split(",")} if found else set()
