"""DuckDB-only functions that reach the compiled Snowflake text are refused (fakesnow, on DuckDB, would run them)."""

from __future__ import annotations

import sqlglot

from toolkit.sql.validate.snowflake_functions import NOT_SNOWFLAKE, SNOWFLAKE_ALSO, duckdb_only_function


def _snowflake_problem(duckdb_sql: str):
    compiled = sqlglot.transpile(duckdb_sql, read="duckdb", write="snowflake")[0]
    return duckdb_only_function(sqlglot.parse_one(compiled, read="snowflake"))


def test_untranslated_duckdb_functions_are_named():
    problem = _snowflake_problem("SELECT a, jaro_similarity(a, b) AS s FROM t")
    assert problem is not None and problem.message.startswith("Unknown function JARO_SIMILARITY")
    assert problem.name.upper() == "JARO_SIMILARITY"  # used to find it in the source


def test_functions_sqlglot_prints_unchanged_come_with_the_snowflake_alternative():
    problem = _snowflake_problem("SELECT regexp_full_match(a, 'x.*') FROM t")
    assert problem is not None and f"use {NOT_SNOWFLAKE['REGEXP_FULL_MATCH']}" in problem.message


def test_translated_and_shared_functions_pass():
    # arg_max -> MAX_BY, list -> ARRAY_AGG, levenshtein -> EDITDISTANCE; HASH and MD5 exist on both engines
    for sql in ("SELECT arg_max(a, b), list(a) FROM t", "SELECT levenshtein(a, b) FROM t",
                "SELECT hash(a), md5(a), count_if(a > 1) FROM t GROUP BY b"):
        assert _snowflake_problem(sql) is None, sql
    assert "HASH" in SNOWFLAKE_ALSO
