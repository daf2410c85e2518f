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
    ..., MODE returns one of those values"), `COLUMNS(...)` (a DuckDB star expression) and `age(a, b)` (an
    INTERVAL of years, months and days that BigQuery and Snowflake do not return)."""
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


def distinct_on_as_qualify(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `SELECT DISTINCT ON (k) ... ORDER BY o` keeps the first row of each k in the order o, and returns
    the rows in that order. sqlglot rewrites it for the targets as a ROW_NUMBER() subquery and drops the outer
    ORDER BY: the rows come back in any order (and a LIMIT keeps other rows). Emit the same row choice as a QUALIFY
    that keeps the query's own ORDER BY: `QUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY o) = 1 ORDER BY o`
    (an ORDER BY key naming an output alias is replaced by its expression inside the window)."""
    from sqlglot import exp

    if ctx.target == "duckdb":
        return tree
    for select in list(tree.find_all(exp.Select)):
        distinct = select.args.get("distinct")
        on = distinct.args.get("on") if isinstance(distinct, exp.Distinct) else None
        if on is None:
            continue
        aliases = {item.alias.lower(): item.this for item in select.expressions if isinstance(item, exp.Alias)}
        keys = on.expressions if isinstance(on, exp.Tuple) else [on]
        order = select.args.get("order")
        window_order = []
        for ordered in (order.expressions if order is not None else []):
            key = ordered.copy()
            value = key.this
            if isinstance(value, exp.Column) and not value.table and value.name.lower() in aliases:
                key.set("this", aliases[value.name.lower()].copy())
            window_order.append(key)
        window = exp.Window(this=exp.RowNumber(), partition_by=[key.copy() for key in keys],
                            order=exp.Order(expressions=window_order) if window_order else None)
        first = exp.EQ(this=window, expression=exp.Literal.number(1))
        qualify = select.args.get("qualify")
        condition = exp.and_(qualify.this.copy(), first) if qualify is not None else first
        select.set("distinct", None)
        select.set("qualify", exp.Qualify(this=condition))
        ctx.note("distinct-on", "DISTINCT ON keeps the first row of each key in the ORDER BY, and the ORDER BY")
    return tree


def qualify_as_subquery_on_trino(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Trino (Athena) has no QUALIFY. sqlglot's rewrite moves the query's ORDER BY and LIMIT into the subquery,
    before the QUALIFY filter: `... QUALIFY ROW_NUMBER() OVER (...) = 1 ORDER BY k LIMIT 15` keeps the rows of the
    first 15 before filtering (6 rows where DuckDB returns 15, measured), and Trino drops an ORDER BY inside a
    subquery that has no LIMIT (trino.io/docs/current/sql/select.html, "ORDER BY clause"), so even the order is lost.
    Filter first and order last: SELECT <outputs> FROM (SELECT <items>, <windows of the QUALIFY> ...) WHERE
    <condition> ORDER BY <keys> LIMIT n. A SELECT * or two outputs of one name cannot be carried: refused."""
    from sqlglot import exp

    if ctx.target != "athena":
        return tree
    for select in reversed(list(tree.find_all(exp.Select))):  # innermost first
        qualify = select.args.get("qualify")
        if qualify is None:
            continue
        names = [item.alias_or_name for item in select.expressions]
        if any(item.find(exp.Star) for item in select.expressions) or not all(names) or len(
                {name.lower() for name in names}) != len(names):
            raise ctx.refuse(select, "QUALIFY over a SELECT * or unnamed outputs cannot be written for Athena",
                             "name every output column (… AS name) and write QUALIFY as an outer WHERE on a ranked "
                             "subquery")
        inner = select.copy()
        for key in ("qualify", "order", "limit", "offset", "with_"):
            inner.set(key, None)
        hidden: list[exp.Expression] = []
        by_value = {item.unalias().sql(): name for item, name in zip(select.expressions, names)}
        outputs = {name.lower() for name in names}

        def carried(value: exp.Expression, prefix: str) -> exp.Expression:
            """`value` as a column of the subquery: an output by name, else a hidden item."""
            if isinstance(value, exp.Column) and not value.table and value.name.lower() in outputs:
                return exp.column(value.name)
            if value.sql() in by_value:
                return exp.column(by_value[value.sql()])
            alias = f"_fedkit_{prefix}{len(hidden)}"
            hidden.append(exp.alias_(value.copy(), alias))
            return exp.column(alias)

        condition = qualify.this.copy()
        for node in list(condition.find_all(exp.Window, exp.Column)):
            if node.parent is not None and node.find_ancestor(exp.Window) is not None:
                continue  # inside a window: computed in the subquery with it
            node.replace(carried(node, "q"))
        order = select.args.get("order")
        outer_order = None
        if order is not None:
            keys = []
            for ordered in order.expressions:
                key = ordered.copy()
                if not (isinstance(key.this, exp.Literal) and key.this.is_int):  # ORDER BY 2 keeps its position
                    key.set("this", carried(ordered.this, "o"))
                keys.append(key)
            outer_order = exp.Order(expressions=keys)
        inner.set("expressions", [*inner.expressions, *hidden])
        outer = exp.Select(expressions=[exp.column(name) for name in names]).from_(
            exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("_fedkit_t"))))
        outer.set("where", exp.Where(this=condition))
        for key, value in (("order", outer_order), ("limit", select.args.get("limit")),
                           ("offset", select.args.get("offset")), ("with_", select.args.get("with_"))):
            if value is not None:
                outer.set(key, value.copy() if value is not outer_order else value)
        if select is tree:
            tree = outer
        else:
            select.replace(outer)
        ctx.note("qualify", "QUALIFY filters in a subquery, then the ORDER BY and LIMIT apply (Trino has no QUALIFY)")
    return tree
