"""A file's engines validated at once (one thread each) give exactly the results of validating them one by one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from toolkit.config import load_config
from toolkit.gold.schema import read_catalog
from toolkit.sql.validate.files import FileValidator

REPO = Path(__file__).resolve().parents[3]
CORPUS = sorted((REPO / "tests" / "corpus" / "broken").glob("*.sql")) + sorted(
    (REPO / "tests" / "corpus" / "valid").glob("*.sql"))


def test_threads_change_nothing(local_gold_project, monkeypatch):
    loaded = load_config(local_gold_project("validate_threads", orders=50))
    catalog = read_catalog(loaded, "local")
    engines = ("bigquery", "snowflake", "duckdb")

    def run(threaded: bool) -> list:
        validator = FileValidator(loaded, catalog, engines)
        if not threaded:
            monkeypatch.setattr(validator, "_pool", lambda: None)
        try:
            return [replace(r, seconds=0.0) for path in CORPUS for r in validator.validate(path)]
        finally:
            validator.close()

    threaded = run(True)
    assert threaded == run(False)
    assert {r.status for r in threaded} == {"ok", "error"}
    assert [r.engine for r in threaded] == list(engines) * len(CORPUS)
