"""The join keys a query itself states: the equalities between columns of two tables, read from the parsed SQL.

Found in every SELECT of the query (CTEs, subqueries and correlated subqueries included):
- `JOIN b ON a.x = b.y` and `FROM a, b WHERE a.x = b.y` (any `col = col` whose sides resolve to two tables);
- `JOIN b USING (k)`: `k` of `b` with `k` of the earlier table that has it;
- `a.x IN (SELECT b.y FROM b …)`: a semi-join on `x = y`.
Each side is resolved back to a base table column: a table alias directly, a CTE or derived-table column through
the projection it comes from when that projection is a plain column (`WITH o AS (SELECT o_orderkey AS ok …)` makes
`o.ok` `orders.o_orderkey`), an unqualified column through the one source that has it. A side that is computed
(`a.x + 1`, a UNION's column) gives no key. Pure: SQL text in, `(table, column, table, column)` tuples out, names as
the query spells them (the caller matches them to its tables case-insensitively).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:
    from sqlglot import exp

Pair = tuple[str, str, str, str]  # (table, column, other table, other column)
_MAX_DEPTH = 16  # CTE-of-CTE chains deeper than this are not followed


def query_join_pairs(sql: str, dialect: str, columns: Mapping[str, Sequence[str]] | None = None) -> list[Pair]:
    """Equi-join column pairs of `sql` (see the module docstring); `columns` (table -> its column names) resolves
    unqualified columns and USING. Unparseable SQL gives no pair (the KPI's own error is reported elsewhere)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError
    from sqlglot.optimizer.scope import traverse_scope

    from toolkit.sql.quiet import quiet_sqlglot

    known = {table.lower(): {c.lower() for c in names} for table, names in (columns or {}).items()}
    try:
        with quiet_sqlglot():
            tree = sqlglot.parse_one(sql, read=dialect)
            scopes = list(traverse_scope(tree))
    except (SqlglotError, RecursionError, ValueError):
        return []
    by_select = {id(scope.expression): scope for scope in scopes}
    pairs: list[Pair] = []
    for scope in scopes:
        select = scope.expression
        if not isinstance(select, exp.Select):
            continue
        for node in select.find_all(exp.EQ, exp.In, exp.Join):
            if _owner(node) is not select:
                continue
            if isinstance(node, exp.EQ):
                pairs += _pair(_resolve(node.left, scope, known), _resolve(node.right, scope, known))
            elif isinstance(node, exp.In) and node.args.get("query") is not None:
                inner = by_select.get(id(node.args["query"].unnest()))
                projection = inner.expression.selects[0] if inner is not None and inner.expression.selects else None
                if projection is not None:
                    pairs += _pair(_resolve(node.this, scope, known), _resolve(projection.unalias(), inner, known))
            elif isinstance(node, exp.Join) and node.args.get("using"):
                pairs += _using_pairs(node, select, scope, known)
    return list(dict.fromkeys(pairs))


def _owner(node: "exp.Expression") -> Any:
    """The SELECT a node belongs to (a subquery's nodes belong to the subquery)."""
    from sqlglot import exp

    return node.find_ancestor(exp.Select)


def _pair(left: tuple[str, str] | None, right: tuple[str, str] | None) -> list[Pair]:
    if left is None or right is None or left[0].lower() == right[0].lower():
        return []
    return [(*left, *right)]


def _resolve(node: "exp.Expression", scope: Any, known: Mapping[str, set[str]],
             depth: int = 0) -> tuple[str, str] | None:
    """The base (table, column) a column expression reads, or None when it is computed or cannot be told."""
    from sqlglot import exp
    from sqlglot.optimizer.scope import Scope

    if not isinstance(node, exp.Column) or depth > _MAX_DEPTH or isinstance(node.this, exp.Star):
        return None
    name = node.name
    source, where = None, scope
    if node.table:
        while where is not None and source is None:  # a correlated subquery names its outer query's tables
            source = where.sources.get(node.table)
            where = where.parent if source is None else where
    else:
        candidates = [(s, scope) for s in scope.sources.values() if name.lower() in _columns_of(s, known)]
        source, where = candidates[0] if len(candidates) == 1 else (None, scope)
    if isinstance(source, exp.Table):
        return source.name, name
    if isinstance(source, Scope) and isinstance(source.expression, exp.Select):
        for projection in source.expression.selects:
            if projection.alias_or_name.lower() == name.lower():
                return _resolve(projection.unalias(), source, known, depth + 1)
    return None


def _columns_of(source: Any, known: Mapping[str, set[str]]) -> set[str]:
    from sqlglot import exp
    from sqlglot.optimizer.scope import Scope

    if isinstance(source, exp.Table):
        return known.get(source.name.lower(), set())
    if isinstance(source, Scope) and isinstance(source.expression, exp.Select):
        return {p.alias_or_name.lower() for p in source.expression.selects}
    return set()


def _using_pairs(join: "exp.Join", select: "exp.Select", scope: Any, known: Mapping[str, set[str]]) -> list[Pair]:
    """`… JOIN b USING (k)`: b.k with k of every table joined before b that has it."""
    from sqlglot import exp

    right = join.this.alias_or_name
    start = select.args.get("from_") or select.args.get("from")  # sqlglot 30 names it from_
    earlier = [start.this.alias_or_name] if start is not None else []
    for other in select.args.get("joins") or []:
        if other is join:
            break
        earlier.append(other.this.alias_or_name)
    pairs: list[Pair] = []
    for key in join.args["using"]:
        name = key.name
        right_side = _resolve(exp.column(name, table=right), scope, known)
        for alias in earlier:
            if name.lower() in _columns_of(scope.sources.get(alias), known):
                pairs += _pair(_resolve(exp.column(name, table=alias), scope, known), right_side)
    return pairs
