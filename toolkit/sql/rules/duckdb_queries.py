"""DuckDB as the source: query structure and aggregates that read differently elsewhere (found with independently
written DuckDB KPIs, tests/corpus/duckdb_hunt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def _set_operations() -> tuple[type, ...]:
    from sqlglot import exp

    return (exp.Union, exp.Except, exp.Intersect)


def intersect_binds_tighter(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB (like the SQL standard) binds INTERSECT tighter than UNION and EXCEPT: `A UNION B INTERSECT C` is
    A UNION (B INTERSECT C) (measured: `SELECT 1 UNION SELECT 2 INTERSECT SELECT 3` is {1}). sqlglot reads the chain
    left to right, ((A UNION B) INTERSECT C) = {}, and BigQuery refuses a mix of set operations without parentheses
    ("Different set operations cannot be used in the same query without using parentheses for grouping"). Rebuild
    the tree with DuckDB's precedence, then parenthesise a set operation inside another of a different kind (on the
    right always; on the left, where left-to-right reading already agrees, only for BigQuery)."""
    from sqlglot import exp

    kinds = _set_operations()
    changed = True
    while changed:  # rotate Intersect(Union(a, b), c) -> Union(a, Intersect(b, c)) until none is left
        changed = False
        for node in list(tree.find_all(exp.Intersect)):
            left = node.this
            if not isinstance(left, (exp.Union, exp.Except)):
                continue
            inner = exp.Intersect(this=left.expression.copy(), expression=node.expression.copy(),
                                  distinct=node.args.get("distinct"))
            top = left.copy()
            top.set("expression", inner)
            for key in ("order", "limit", "offset", "with_"):  # the chain's ORDER BY / LIMIT belong to the whole
                if node.args.get(key) is not None:
                    top.set(key, node.args[key].copy())
            node.replace(top)
            if node is tree:
                tree = top
            ctx.note("set-operations", "INTERSECT binds tighter than UNION and EXCEPT, as in the source")
            changed = True
            break
    for node in list(tree.find_all(*kinds)):
        for key in ("this", "expression"):
            child = node.args.get(key)
            mixed = isinstance(child, kinds) and (
                type(child) is not type(node) or bool(child.args.get("distinct")) != bool(node.args.get("distinct")))
            # a right operand always needs them; a left one only on BigQuery, which refuses any unparenthesised mix
            if mixed and (key == "expression" or ctx.target == "bigquery"):
                node.set(key, exp.Subquery(this=child))
    return tree


def no_portable_duckdb_only(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Refuse DuckDB-only constructs that no target computes the same way, each with the portable form:
    `mode(x)` (BigQuery has no MODE; Snowflake's MODE and DuckDB's break ties between equally frequent values in
    their own ways: docs.snowflake.com/en/sql-reference/functions/mode, "If there is a tie for most frequent value
    ..., MODE returns one of those values"), `COLUMNS(...)` (a DuckDB star expression) and `age(a, b)` (an INTERVAL of years, months and days that
    BigQuery and Snowflake do not return)."""
    from sqlglot import exp

    if ctx.target == "duckdb":
        return tree
    for node in tree.walk():
        if isinstance(node, exp.Mode):
            raise ctx.refuse(node, "mode() breaks ties between equally frequent values differently on each engine "
                                   "(BigQuery has no MODE)",
                             "COUNT(*) per value with QUALIFY ROW_NUMBER() OVER (PARTITION BY <group> ORDER BY "
                             "COUNT(*) DESC, <value>) = 1, which breaks ties explicitly")
        if isinstance(node, exp.Columns):
            raise ctx.refuse(node, "COLUMNS(...) is a DuckDB star expression with no equivalent on the target",
                             "the columns named one by one, e.g. MAX(quantity), MAX(amount)")
        if isinstance(node, exp.Anonymous) and node.name.lower() == "age":
            raise ctx.refuse(node, "age() returns an INTERVAL of years, months and days that the target does not "
                                   "have",
                             "date_diff('month', a, b) or date_diff('day', a, b) (they count unit boundaries)")
    return tree


def list_result_on_snowflake(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """A DuckDB LIST result column (`list(x)`, `array_agg(x)`, `string_split(s, ',')`) is an ARRAY on Snowflake,
    whose elements are VARIANTs: the client receives the column as JSON text ('["bank_transfer"]', measured through
    the Snowflake connector on fakesnow; docs.snowflake.com/en/developer-guide/python-connector/
    python-connector-api, "Data type mappings": ARRAY -> str), not a list of values. Refuse a list in the final
    SELECT on Snowflake; a list used inside the query (its length, an element) is portable."""
    from sqlglot import exp

    if ctx.target != "snowflake":
        return tree
    query = tree
    while isinstance(query, (exp.Union, exp.Except, exp.Intersect)):
        query = query.this
    if not isinstance(query, exp.Select):
        return tree
    for item in query.expressions:
        value = item.unalias()
        kind = getattr(value, "type", None)
        if isinstance(value, (exp.ArrayAgg, exp.Split, exp.Array)) or (kind is not None and kind.is_type("array")):
            raise ctx.refuse(item, f"the list column {item.alias_or_name!r} comes back from Snowflake as JSON text",
                             "string_agg(x, ', ' ORDER BY x) for a readable list, or keep the list inside the query")
    return tree
