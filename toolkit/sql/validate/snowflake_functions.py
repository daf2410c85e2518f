"""Functions that reach the compiled Snowflake SQL untranslated but exist only in DuckDB (pure but for one lookup).

The offline Snowflake check runs the compiled text on fakesnow, which executes it on DuckDB: a DuckDB function that
sqlglot does not know (`strip_accents(x)`, `jaro_similarity(a, b)`, `regexp_full_match(s, p)`) is copied into the
Snowflake SQL as is, and DuckDB then runs it happily, so the check passed a query real Snowflake rejects with
`Unknown function`. A function sqlglot's Snowflake dialect does not model (`exp.Anonymous`) that DuckDB has is such
a pass-through, except for the few names Snowflake also has (below), which are left to the engine. sqlglot also
models some DuckDB functions it prints unchanged for Snowflake (`REGEXP_FULL_MATCH`, `TO_BASE64`): those are listed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from toolkit.sql.validate.model import Problem

# Names sqlglot keeps anonymous that are Snowflake functions too (or might be: when unsure, never fail a query).
SNOWFLAKE_ALSO = frozenset({
    "HASH", "TO_TIMESTAMP", "GETVARIABLE", "NOW", "DATEPART", "MD5_NUMBER", "MAP_VALUES", "MAP_CONTAINS",
    "KURTOSIS", "JSON_EXTRACT_PATH_TEXT", "ST_ASBINARY", "ST_ASWKB", "ST_ASWKT", "ST_ASTEXT", "ST_ASGEOJSON",
    "ST_GEOMFROMWKB", "ST_GEOMFROMGEOJSON", "ST_GEOMFROMTEXT", "ST_GEOMFROMWKT",
})

# Functions sqlglot models and prints for Snowflake under their DuckDB name, which Snowflake does not have (found by
# transpiling every DuckDB function to Snowflake with sqlglot 30 and keeping the unchanged names), with what to use.
NOT_SNOWFLAKE = {
    "REGEXP_FULL_MATCH": "REGEXP_LIKE (matches the whole string)",
    "TO_BASE64": "BASE64_ENCODE",
    "FROM_BASE64": "BASE64_DECODE_STRING",
    "ENCODE": "TO_BINARY(s, 'UTF-8')",
    "FROM_JSON": "PARSE_JSON",
    "JSON_TYPE": "TYPEOF",
    "JSON_SET": "OBJECT_INSERT",
    "JSON_REMOVE": "OBJECT_DELETE",
    "JSON_STRIP_NULLS": "STRIP_NULL_VALUE",
    "STRUCT_EXTRACT": "GET",
    "MAP_FROM_ENTRIES": "OBJECT_CONSTRUCT",
    "FIRST": "FIRST_VALUE(...) OVER (...) or MIN/MAX",
    "LAST": "LAST_VALUE(...) OVER (...) or MIN/MAX",
    "FORMAT": "concatenation (||) or TO_CHAR",
    "OVERLAY": "INSERT",
    "QUANTILE": "PERCENTILE_DISC",
    "TO_DAYS": "an INTERVAL literal",
}


@lru_cache(maxsize=1)
def duckdb_function_names() -> frozenset[str]:
    """Every function name the DuckDB under fakesnow knows (upper-case)."""
    import duckdb

    conn = duckdb.connect(":memory:")
    try:
        return frozenset(row[0].upper() for row in
                         conn.execute("SELECT DISTINCT function_name FROM duckdb_functions()").fetchall())
    finally:
        conn.close()


def duckdb_only_function(tree: Any) -> Problem | None:
    """The first function call in a parsed Snowflake `tree` that only DuckDB has, as a Problem naming it."""
    import re

    from sqlglot import exp

    known = duckdb_function_names()
    for node in tree.find_all(exp.Func):
        if isinstance(node, exp.Anonymous):
            name = node.name.upper()
            if name in known and name not in SNOWFLAKE_ALSO:
                return Problem(f"Unknown function {name}: a DuckDB function with no Snowflake equivalent (fakesnow "
                               "runs on DuckDB, which is why it would accept it)", name=node.name)
            continue
        printed = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\(", node.sql(dialect="snowflake"))
        name = printed.group(1).upper() if printed else ""
        if name in NOT_SNOWFLAKE:
            return Problem(f"Unknown function {name}: a DuckDB function Snowflake does not have; use "
                           f"{NOT_SNOWFLAKE[name]}", name=name)
    return None
