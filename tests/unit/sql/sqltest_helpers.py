"""Helpers for rule tests: compile with the full rule table, or with one rule taken out (to show what goes wrong)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqltest_catalog import sample_catalog

from toolkit.sql import rules as rules_module
from toolkit.sql.compile import CompiledQuery, compile_query


def compile_sql(sql: str, engine: str, source: str = "duckdb") -> CompiledQuery:
    return compile_query(sql, source_dialect=source, engine=engine, catalog=sample_catalog(), pretty=False)


@contextmanager
def without_rule(rule, source: str = "duckdb") -> Iterator[None]:
    saved = dict(rules_module.RULES)
    try:
        for key, rules in saved.items():
            if key[0] == source:
                rules_module.RULES[key] = tuple(r for r in rules if r is not rule)
        yield
    finally:
        rules_module.RULES.clear()
        rules_module.RULES.update(saved)


def compile_without(rule, sql: str, engine: str, source: str = "duckdb") -> CompiledQuery:
    with without_rule(rule, source):
        return compile_sql(sql, engine, source)


def duckdb_rows(sql: str, setup: str = "") -> list[tuple]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    if setup:
        con.execute(setup)
    return con.execute(sql).fetchall()


def bigquery_rows(sql: str) -> list[tuple]:
    """Rows of BigQuery SQL from ZetaSQL's reference evaluator (BigQuery's own semantics), over no tables."""
    from toolkit.sql.zetasql_service import ZetaSQL

    return [tuple(row.values()) for row in ZetaSQL.get().evaluate(sql, {}).to_pylist()]


def rows_on(engine: str, sql: str) -> list[tuple]:
    return duckdb_rows(sql) if engine == "duckdb" else bigquery_rows(sql)


def rows_without(rule, sql: str, engine: str, source: str) -> "list[tuple] | str":
    """What `engine` answers when `rule` is left out: its rows, "untranslatable", or "error: <type>"."""
    from toolkit.sql.compile import UnportableError

    try:
        text = compile_without(rule, sql, engine, source=source).sql
    except UnportableError:
        return "untranslatable"
    try:
        return rows_on(engine, text)
    except Exception as exc:  # the engine rejects sqlglot's text (an unknown function)
        return f"error: {type(exc).__name__}"
