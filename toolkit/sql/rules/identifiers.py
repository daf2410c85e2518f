"""Identifier rules: how names resolve on Snowflake, whose unquoted names are upper-case and quoted ones exact."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp

PLAIN_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")

# Snowflake's reserved keywords (cannot be unquoted identifiers); quoted upper-case they still resolve the same.
SNOWFLAKE_RESERVED = frozenset(
    """ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS
    CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE
    FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN
    LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP
    REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST
    UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH""".split()
)


def snowflake_identifier_case(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """The registration exposes Parquet columns such as `Order_ID` as UNQUOTED virtual columns (ORDER_ID), so they
    resolve case-insensitively like on BigQuery and DuckDB. sqlglot keeps a quoted `"Order_ID"` (or a backticked
    name) quoted, which on Snowflake is case-sensitive and misses ORDER_ID. Emit plain names unquoted (reserved
    words quoted in upper case, which resolves the same); only names that are not plain identifiers stay quoted.
    Only names from a case-insensitive source (DuckDB, BigQuery) are unquoted: a Snowflake source's quotes mean
    case-sensitive names and are kept."""
    from sqlglot import exp

    if ctx.source == "snowflake":
        return tree  # quoted Snowflake names are case-sensitive on purpose: `"Order_ID"` must stay `"Order_ID"`
    changed = False
    for ident in tree.find_all(exp.Identifier):
        name = ident.this
        if not isinstance(name, str) or not PLAIN_IDENTIFIER.match(name):
            continue
        if name.upper() in SNOWFLAKE_RESERVED:
            ident.set("this", name.upper())
            ident.set("quoted", True)
            changed = True
        elif ident.quoted:
            ident.set("quoted", False)
            changed = True
    if changed:
        ctx.note("identifier-case", "quoted plain names are emitted unquoted (resolve upper-case on Snowflake)")
    return tree
