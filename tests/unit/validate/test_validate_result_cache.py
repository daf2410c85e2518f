"""The per-file result cache of `fedkit validate`: a hit answers only for the same file, config, gold schema and
fedkit; a changed KPI or schema is validated again; a missing, corrupt or foreign cache is a miss, never an error."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from toolkit.code_version import tree_fingerprint
from toolkit.config import load_config
from toolkit.gold.schema import read_catalog
from toolkit.sql.validate import result_cache
from toolkit.sql.validate.files import FileValidator
from toolkit.sql.validate.runner import validate

GOOD = "SELECT c.country, SUM(f.amount) AS revenue\nFROM {{ ref('fact_sales') }} AS f\n" \
       "JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id\nGROUP BY c.country\n"
BAD = GOOD.replace("SUM(f.amount)", "SUM(f.amount_typo)")


@pytest.fixture
def project(local_gold_project, tmp_path, monkeypatch):
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FEDKIT_VALIDATE_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    kpis = tmp_path / "kpi"
    kpis.mkdir()
    (kpis / "revenue.sql").write_text(GOOD, encoding="utf-8")
    loaded = load_config(local_gold_project("result_cache", orders=50))
    return loaded, read_catalog(loaded, "local"), kpis


def _run(loaded, catalog, kpis):
    return validate(loaded, [kpis], engines=("duckdb",), catalog=catalog)


def _forbid_validation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validated again: the cache did not answer")

    monkeypatch.setattr(FileValidator, "validate", refuse)


def _plain(report):
    return [replace(r, seconds=0.0) for r in report.results]


def test_an_unchanged_file_is_answered_from_the_cache(project, monkeypatch):
    loaded, catalog, kpis = project
    (kpis / "broken.sql").write_text(BAD, encoding="utf-8")
    first = _run(loaded, catalog, kpis)
    assert [r.status for r in first.results] == ["error", "ok"]  # broken.sql, revenue.sql
    assert not any("from the cache" in n or "unchanged" in n for n in first.notes)
    _forbid_validation(monkeypatch)
    second = _run(loaded, catalog, kpis)
    assert _plain(second) == _plain(first)  # the same findings, positions and excerpts
    assert any("2 of 2 KPI files unchanged" in n for n in second.notes)


def test_a_changed_kpi_is_validated_again(project):
    loaded, catalog, kpis = project
    assert _run(loaded, catalog, kpis).passed
    (kpis / "revenue.sql").write_text(BAD, encoding="utf-8")
    report = _run(loaded, catalog, kpis)
    assert not report.passed and "amount_typo" in report.results[0].message


def test_a_changed_gold_schema_is_validated_again(project):
    loaded, catalog, kpis = project
    assert _run(loaded, catalog, kpis).passed
    fact = catalog.table("fact_sales")
    renamed = replace(fact, columns=tuple(replace(c, name="net_amount") if c.name == "amount" else c
                                          for c in fact.columns))
    changed = replace(catalog, tables=tuple(renamed if t.name == "fact_sales" else t for t in catalog.tables))
    report = _run(loaded, changed, kpis)
    assert not report.passed and "amount" in report.results[0].message


def test_other_engines_are_not_answered_by_a_duckdb_run(project, monkeypatch):
    loaded, catalog, kpis = project
    assert _run(loaded, catalog, kpis).passed
    calls = []
    original = FileValidator.validate
    monkeypatch.setattr(FileValidator, "validate", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    report = validate(loaded, [kpis], engines=("snowflake", "duckdb"), catalog=catalog)
    assert calls and [r.engine for r in report.results] == ["snowflake", "duckdb"]


@pytest.mark.parametrize("content", [
    "not json {",
    json.dumps([1, 2]),
    json.dumps({"version": result_cache.VERSION, "entries": []}),
    "SHAPE",  # every entry of the right key, holding the wrong shapes
])
def test_a_corrupt_cache_is_a_miss(project, content):
    loaded, catalog, kpis = project
    (kpis / "revenue.sql").write_text(BAD, encoding="utf-8")
    expected = _plain(_run(loaded, catalog, kpis))
    path = result_cache.default_path()
    if content == "SHAPE":
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data["entries"].values():
            entry["results"][0]["status"] = "ok"
            entry["results"][0]["line"] = "7"  # a string where a number belongs: the whole entry is refused
        content = json.dumps(data)
    path.write_text(content, encoding="utf-8")
    assert _plain(_run(loaded, catalog, kpis)) == expected
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == result_cache.VERSION  # rewritten whole


def test_the_cache_file_stays_bounded(project, monkeypatch):
    loaded, catalog, kpis = project
    monkeypatch.setattr(result_cache, "MAX_ENTRIES", 3)
    for index in range(5):
        (kpis / f"k{index}.sql").write_text(GOOD + f"-- {index}\n", encoding="utf-8")
    assert _run(loaded, catalog, kpis).passed
    entries = json.loads(result_cache.default_path().read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 3


def test_the_cache_can_be_turned_off(project, monkeypatch):
    loaded, catalog, kpis = project
    monkeypatch.setenv("FEDKIT_VALIDATE_CACHE", "0")
    assert _run(loaded, catalog, kpis).passed
    assert not result_cache.default_path().exists()


def test_the_key_covers_code_libraries_and_config(project, tmp_path, monkeypatch):
    loaded, catalog, _ = project
    base = result_cache.context_key(loaded, catalog, ("duckdb",))
    assert result_cache.context_key(loaded, catalog, ("duckdb", "snowflake")) != base
    with monkeypatch.context() as patched:
        patched.setattr(result_cache, "library_versions", lambda: {"sqlglot": "0.0"})
        assert result_cache.context_key(loaded, catalog, ("duckdb",)) != base
    assert result_cache.context_key(loaded, catalog, ("duckdb",)) == base
    with monkeypatch.context() as patched:
        patched.setattr(result_cache, "code_fingerprint", lambda: "edited")
        assert result_cache.context_key(loaded, catalog, ("duckdb",)) != base
    code = tmp_path / "code"
    code.mkdir()
    (code / "rule.py").write_text("A = 1\n")
    before = tree_fingerprint(code)
    (code / "rule.py").write_text("A = 2\n")
    assert tree_fingerprint(code) != before


def test_an_unusable_state_folder_only_costs_the_cache(project, tmp_path, monkeypatch):
    loaded, catalog, kpis = project
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("FEDKIT_HOME", str(blocker))
    for _ in range(2):
        report = validate(loaded, [kpis], engines=("duckdb",))  # the gold catalog cache cannot be used either
        assert report.passed and not any("unchanged" in n for n in report.notes)
