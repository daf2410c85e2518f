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
