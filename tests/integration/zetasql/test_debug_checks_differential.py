"""ZetaSQL with its debug-build assertions switched off (the default, `toolkit.sql.zetasql_debug_checks`) answers
exactly as the module as shipped: the same ok/error outcome, message and position for every query fedkit validates
(the corpora and the KPI suite compiled to BigQuery, deterministic misspellings and truncations of each, fuzz-
generated queries), the same parse outcomes, and the same evaluator rows. The list of guarded functions is what
`discover` finds in the installed module."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FOLDERS = {  # corpus folder -> the source dialect its queries are written in
    "valid": "duckdb", "broken": "duckdb", "tricky": "duckdb", "bigquery_suite": "bigquery",
    "snowflake_suite": "snowflake",
}
FUZZ_SEED, FUZZ_QUERIES = 13, 40


@pytest.fixture(scope="module")
def zeta():
    from toolkit.sql.zetasql_service import ZetaSQL

    service = ZetaSQL.get()
    assert service.set_debug_checks(False), "the installed zetasql.wasm has no debug-check switch"
    yield service
    service.set_debug_checks(False)


def _loaded(root: Path, dialect: str):
    from toolkit.config import load_config
    from toolkit.gold.sample import write_sample

    if not (root / "gold").exists():
        write_sample(root / "gold", orders=50)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    text = text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}")
    text = text.replace("source_dialect: duckdb", f"source_dialect: {dialect}")
    path = root / f"federation-{dialect}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def _compiled_corpus(root: Path) -> tuple[object, dict[str, list[str]], list[str]]:
    """(catalog, table names for ZetaSQL, BigQuery SQL of every corpus and KPI file that compiles)."""
    from toolkit.errors import UsageError
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.compile import SqlSyntaxError, UnportableError, compile_query
    from toolkit.sql.kpi_files import load_kpi_file
    from toolkit.sql.refs import render_refs, table_names_for

    files = [(p, dialect) for folder, dialect in FOLDERS.items()
             for p in sorted((REPO / "tests" / "corpus" / folder).glob("*.sql"))]
    files += [(p, "duckdb") for p in sorted((REPO / "sql" / "kpi").glob("*.sql"))]
    sqls, catalog, names = [], None, {}
    for dialect in sorted({d for _, d in files}):
        loaded = _loaded(root, dialect)
        catalog = read_catalog(loaded, "local")
        table_names = table_names_for("bigquery", loaded, catalog.names)
        names = {t: [n.strip("`"), n.strip("`").split(".", 1)[-1]] for t, n in table_names.items()}
        for path, _ in [f for f in files if f[1] == dialect]:
            try:
                source = render_refs(load_kpi_file(path).text, "source", loaded, path=path, catalog=catalog)
                sqls.append(compile_query(source, source_dialect=dialect, engine="bigquery", catalog=catalog,
                                          table_names=table_names).sql)
            except (UsageError, SqlSyntaxError, UnportableError):
                continue  # refused before ZetaSQL: not what this test compares
    return catalog, names, sqls


def _variants(sql: str) -> list[str]:
    """The query, one with its first lower-case identifier misspelled (unknown name, suggestions), and its first
    two thirds (syntax errors at the end of input)."""
    import re

    found = re.search(r"\b([a-z_][a-z0-9_]{3,})\b", sql.split("FROM", 1)[0][6:])
    misspelled = sql[:6] + sql[6:].replace(found.group(1), found.group(1) + "x", 1) if found else sql + " x"
    return [sql, misspelled, sql[: len(sql) * 2 // 3]]


def _both_ways(zeta, call):
    zeta.set_debug_checks(True)
    try:
        checked = call()
    finally:
        zeta.set_debug_checks(False)
    return checked, call()


def test_the_guarded_functions_are_what_discover_finds_in_the_installed_module():
    from zetasql.wasi import get_wasm_path

    from toolkit.sql import zetasql_debug_checks as checks

    wasm = Path(get_wasm_path()).read_bytes()
    found = checks.discover(wasm)
    assert all(found.values()), found  # both kinds are present in this fastbuild
    assert checks.guarded_functions(checks.digest(wasm)) == tuple(sorted(i for f in found.values() for i in f))
    import wasmtime

    from toolkit.sql.zetasql_wasm import _engine

    guarded = checks.guard(wasm)  # what a cache miss compiles: a valid module with the switch
    assert guarded != wasm
    wasmtime.Module.validate(_engine(), guarded)


def test_analysis_and_parsing_answer_the_same_with_and_without_debug_checks(zeta, tmp_path):
    catalog, names, sqls = _compiled_corpus(tmp_path)
    assert len(sqls) >= 100
    zeta.register_catalog(catalog, table_names=names)
    errors = 0
    for sql in sqls:
        for text in _variants(sql):
            checked, fast = _both_ways(zeta, lambda: zeta.analyze(text))
            assert fast == checked, text  # ZetaError: message, line, column and the full detail
            errors += checked is not None
            checked, fast = _both_ways(zeta, lambda: zeta.parse(text))
            assert fast == checked, text
    assert errors >= len(sqls)  # the misspellings and truncations exercise the error paths


def test_fuzz_queries_analyze_and_evaluate_the_same_with_and_without_debug_checks(zeta):
    from toolkit.sql.compile import UnportableError, compile_query
    from toolkit.sql.fuzz.catalog import gold_catalog
    from toolkit.sql.fuzz.data import fuzz_tables
    from toolkit.sql.fuzz.gaps import KNOWN_GAPS
    from toolkit.sql.fuzz.query import generate

    catalog = gold_catalog()
    zeta.register_catalog(catalog)
    tables = fuzz_tables(catalog, FUZZ_SEED)
    evaluated = 0
    for index in range(FUZZ_QUERIES):
        query = generate(catalog, FUZZ_SEED, index, frozenset(KNOWN_GAPS))
        try:
            sql = compile_query(query.sql(), source_dialect="duckdb", engine="bigquery", catalog=catalog).sql
        except UnportableError:
            continue
        checked, fast = _both_ways(zeta, lambda: zeta.analyze(sql))
        assert fast == checked, sql
        if checked is None and index % 4 == 0:  # the evaluator (parity's oracle) on a sample: slower, same rows
            used = {name: table for name, table in tables.items() if name.lower() in sql.lower()}
            checked_rows, fast_rows = _both_ways(zeta, lambda: zeta.evaluate(sql, used))
            assert fast_rows.equals(checked_rows), sql
            evaluated += 1
    assert evaluated >= 3
