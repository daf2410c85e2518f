"""The query shape as data (so the shrinker can drop parts of it) and its rendering as one sqlglot query.

    [WITH w0 AS (<query>)]                                            a CTE (chained: nested CTEs)
    SELECT <keys>, <aggregates> | <scalar items>[, <window>]   each item aliased c0, c1, ...
    FROM base t0 [INNER|LEFT|RIGHT|FULL JOIN parent t1 ON t0.k = t1.k ...]
    [WHERE p AND q] [GROUP BY 1, 2 | ROLLUP (..) | CUBE (..) | GROUPING SETS (..)] [HAVING h] [QUALIFY q]
    [UNION ALL | UNION | EXCEPT | INTERSECT SELECT <items of the same kinds> FROM ...]
    [ORDER BY 1 [DESC] [NULLS FIRST|LAST], 2, ... [LIMIT n]]

ORDER BY always names every output column, so the order is total up to rows equal in every column (and LIMIT then
keeps the same multiset on every engine); without ORDER BY results are compared as multisets. Window functions
order by the base table's key (unique, never NULL), so they are deterministic too; where no such key exists (a
RIGHT or FULL join, a CTE) no window, QUALIFY or arg_max is generated.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from toolkit.sql.fuzz.catalog import JoinKey, join_keys, key_column, kind_of
from toolkit.sql.fuzz.clauses import aggregate, having, window
from toolkit.sql.fuzz.grammar import Grammar, ScopeColumn
from toolkit.sql.fuzz.templates import GROUPABLE, KIND, fill, tag

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.gold.model import GoldCatalog

SET_OPERATIONS = ("union_all", "union", "except", "intersect")
GROUPINGS = ("rollup", "cube", "sets")


@dataclass(frozen=True)
class Join:
    kind: str  # "inner" | "left" | "right" | "full"
    table: str
    alias: str
    left_alias: str
    left_column: str
    right_column: str


@dataclass(frozen=True)
class Query:
    base: str
    joins: tuple[Join, ...]
    items: tuple["exp.Expression", ...]
    keys: int | None  # None: a row query; else the first `keys` items are the GROUP BY keys
    where: tuple["exp.Expression", ...] = ()
    having: "exp.Expression | None" = None
    order: tuple[bool, ...] | None = None  # per item: descending?
    limit: int | None = None
    qualify: "exp.Expression | None" = None
    spelled_all: bool = False  # GROUP BY ALL / ORDER BY ALL instead of positions
    constructs: Counter = field(default_factory=Counter, compare=False)
    # per ORDER BY item: "first" (NULLS FIRST) or None (DuckDB's default, NULLS LAST both ways: sqlglot prints none)
    nulls: tuple[str | None, ...] | None = None
    grouping: str | None = None  # one of GROUPINGS over the keys, or plain GROUP BY
    bare_predicates: bool = False  # ROLLUP (a < 7) rather than ROLLUP ((a < 7)): see KNOWN_GAPS
    compound: "tuple[str, Query] | None" = None  # (one of SET_OPERATIONS, the other branch: same kinds)
    inner: "Query | None" = None  # the CTE `base` names (this query reads its columns c0, c1, ...)

    def without(self, **changes: object) -> "Query":
        return replace(self, **changes)

    def tree(self) -> "exp.Query":
        """The query as a sqlglot expression (DuckDB dialect)."""
        from sqlglot import exp

        select = exp.select(*(exp.alias_(item.copy(), f"c{i}") for i, item in enumerate(self.items)))
        select = select.from_(exp.alias_(exp.to_table(self.base), "t0", table=True))
        for join in self.joins:
            on = exp.EQ(this=exp.column(join.left_column, table=join.left_alias),
                        expression=exp.column(join.right_column, table=join.alias))
            select = select.join(exp.alias_(exp.to_table(join.table), join.alias, table=True), on=on,
                                 join_type=join.kind)
        if self.where:
            select = select.where(exp.and_(*(p.copy() for p in self.where)))
        grouped = self.keys and self.grouping is not None and _can_group_in_sets(list(self.items[: self.keys]))
        if grouped:
            select.set("group", _grouping(str(self.grouping), self.items[: self.keys], self.bare_predicates))
        elif self.keys:
            if self.spelled_all and self.keys == len(self.items) - sum(1 for i in self.items if i.find(exp.AggFunc)):
                select.set("group", exp.Group(all=True))
            else:
                select = select.group_by(*(exp.Literal.number(i + 1) for i in range(self.keys)))
        if self.having is not None:
            select = select.having(self.having.copy())
        if self.qualify is not None:
            select = select.qualify(self.qualify.copy())
        query: exp.Query = select
        if self.compound is not None:
            operation, branch = self.compound
            make = {"union_all": exp.union, "union": exp.union, "except": exp.except_, "intersect": exp.intersect}
            query = make[operation](select, branch.tree(), distinct=operation != "union_all")
        if self.order is not None:
            order = self.order[: len(self.items)]
            nulls = self.nulls or (None,) * len(order)
            if self.spelled_all and self.compound is None and len(set(order)) == 1 and not any(nulls):
                query = query.order_by(exp.Ordered(this=exp.var("ALL"), desc=order[0]))
            else:
                query = query.order_by(*(exp.Ordered(this=exp.Literal.number(i + 1), desc=desc,
                                                     **({"nulls_first": True} if null == "first" else {}))
                                         for i, (desc, null) in enumerate(zip(order, nulls))))
            if self.limit is not None:
                query = query.limit(self.limit)
        if self.inner is not None:
            inner = self.inner.tree()
            ctes = inner.args.get("with")
            inner.set("with", None)
            query = query.with_(self.base, as_=inner)
            if ctes is not None:  # chained CTEs: the inner query's come first
                query.args["with"].set("expressions", [*ctes.expressions, *query.args["with"].expressions])
        return query

    def sql(self) -> str:
        return self.tree().sql(dialect="duckdb")


def _varies(key: "exp.Expression") -> bool:
    """A key that reads a column (an integer literal inside ROLLUP/CUBE/GROUPING SETS would be read as a position)."""
    from sqlglot import exp

    return key.find(exp.Column) is not None


def _can_group_in_sets(keys: list["exp.Expression"]) -> bool:
    """Some key reads a column, and none holds a subquery or EXISTS (sqlglot parses none inside ROLLUP/CUBE; BigQuery
    refuses a correlated one in GROUPING SETS: "references t0.brand which is neither grouped nor aggregated") or a
    TRY_CAST (BigQuery's SAFE_CAST(x AS NUMERIC(12, 2)) there is "Unimplemented feature (ResolvedCast::
    type_modifiers)" in ZetaSQL's evaluator: a limit of the oracle, not of BigQuery)."""
    from sqlglot import exp

    return any(_varies(k) for k in keys) and not any(k.find(exp.Subquery, exp.Exists, exp.TryCast) for k in keys)


def _key_over_key(keys: list["exp.Expression"]) -> bool:
    """One grouping key computed from another (`date_trunc('quarter', d)` beside `d`): see KNOWN_GAPS."""
    texts = [k.sql(dialect="duckdb") for k in keys]
    return any(a != b and any(node.sql(dialect="duckdb") == a for node in keys[j].walk())
               for i, a in enumerate(texts) for j, b in enumerate(texts))


def _grouping(grouping: str, keys: tuple["exp.Expression", ...], bare: bool) -> "exp.Group":
    """The keys that read a column, grouped by ROLLUP, CUBE or GROUPING SETS (all, the first, none); constant keys
    stay in the select list (a constant needs no grouping)."""
    from sqlglot import exp

    keys = tuple(k for k in keys if _varies(k))
    operators = (exp.Binary, exp.Predicate, exp.Unary)
    copies = [k.copy() if bare or not isinstance(k, operators) else exp.Paren(this=k.copy()) for k in keys]
    if grouping == "rollup":
        return exp.Group(expressions=[exp.Rollup(expressions=copies)])
    if grouping == "cube":
        return exp.Group(expressions=[exp.Cube(expressions=copies)])
    sets = [exp.Tuple(expressions=copies), exp.Tuple(expressions=[keys[0].copy()]), exp.Tuple(expressions=[])]
    return exp.Group(expressions=[exp.GroupingSets(expressions=sets)])


# -- the whole query ------------------------------------------------------------------------------------------------
def generate(catalog: "GoldCatalog", seed: int, index: int, gaps: frozenset[str] = frozenset()) -> Query:
    """Query number `index` of run `seed` (each query has its own random stream: reproducible alone)."""
    rng = random.Random(f"fedkit-fuzz:{seed}:{index}")
    tables = tuple((t.name, tuple((c.name, k) for c in t.columns if (k := kind_of(c.type)) is not None))
                   for t in catalog.tables)
    aliases = [0]
    query = _from_catalog(catalog, rng, gaps, tables, aliases)
    if rng.random() < 0.1:
        query = _compound(query, catalog, rng, gaps, tables, aliases)
    for level in range(2):  # a CTE, and sometimes a CTE over a CTE
        if rng.random() > (0.12 if level == 0 else 0.4):
            break
        query = _over_cte(query, level, rng, gaps, tables, aliases)
    return query


def _from_catalog(catalog: "GoldCatalog", rng: random.Random, gaps: frozenset[str], tables: tuple,
                  aliases: list[int]) -> Query:
    from sqlglot import exp

    keys = join_keys(catalog)
    children = sorted({k.child for k in keys})
    base = rng.choice(children) if rng.random() < 0.75 else rng.choice([t.name for t in catalog.tables])
    joined = {base: "t0"}
    joins: list[Join] = []
    for _ in range(2):
        if rng.random() > 0.55:
            break
        options: list[JoinKey] = [k for k in keys if k.child in joined and k.parent not in joined]
        if not options:
            break
        edge = rng.choice(options)
        alias = f"t{len(joined)}"
        parent = catalog.table(edge.parent)
        assert parent is not None
        kind = rng.choice(("inner", "left", "inner", "left", "right", "full"))
        joins.append(Join(kind, edge.parent, alias, joined[edge.child], edge.column, key_column(parent)))
        joined[edge.parent] = alias
    columns = tuple(
        ScopeColumn(alias, column.name, kind)
        for name, alias in joined.items()
        for column in catalog.table(name).columns  # type: ignore[union-attr]
        if (kind := kind_of(column.type)) is not None
    )
    g = Grammar(rng, columns, gaps, tables=tables, aliases=aliases)
    if joins:
        g.used["join"] += 1
        for join in joins:
            g.used[f"{join.kind}_join"] += 1
    base_table = catalog.table(base)
    assert base_table is not None
    key: exp.Expression | None = tag(exp.column(key_column(base_table), table="t0"),
                                     kind_of(base_table.columns[0].type) or "int")
    outer = [j for j in joins if j.kind in ("right", "full")]
    if outer:  # t0's key can be NULL on several rows: no total order for windows, QUALIFY or arg_max
        key = None
    lead = []
    if outer and rng.random() < 0.7:  # the KPI idiom over an outer join: one key whichever side has it
        g.used["join_key_coalesce"] += 1
        join = outer[0]
        lead.append(tag(fill("COALESCE(__a, __b)", a=exp.column(join.left_column, table=join.left_alias),
                             b=exp.column(join.right_column, table=join.alias)),
                        next(c.kind for c in columns if c.alias == join.alias and c.name == join.right_column)))
    return _select(g, rng, base, tuple(joins), key, lead)


def _over_cte(inner: Query, level: int, rng: random.Random, gaps: frozenset[str], tables: tuple,
              aliases: list[int]) -> Query:
    """A query over `inner` as a CTE: its columns c0, c1, ... with their kinds, read under alias t0. The CTE keeps
    its ORDER BY and LIMIT: ORDER BY names every column, so the rows LIMIT keeps are the same on every engine."""
    from toolkit.sql.fuzz.templates import kind_of_node

    columns = tuple(ScopeColumn("t0", f"c{i}", kind_of_node(item) or "int") for i, item in enumerate(inner.items))
    g = Grammar(rng, columns, gaps, tables=tables, aliases=aliases)
    g.used["cte" if level == 0 else "nested_cte"] += 1
    query = _select(g, rng, f"w{level}", (), None, [])
    constructs = Counter(inner.constructs)
    constructs.update(query.constructs)
    return query.without(inner=inner, constructs=constructs)


def _compound(first: Query, catalog: "GoldCatalog", rng: random.Random, gaps: frozenset[str], tables: tuple,
              aliases: list[int]) -> Query:
    """`first` combined with a row query over any table whose items have the same kinds, in the same order."""
    from toolkit.sql.fuzz.templates import kind_of_node

    if "set_operation_decimal_width" in gaps and any(kind_of_node(item) == "dec" for item in first.items):
        return first  # see KNOWN_GAPS
    operation = rng.choice(SET_OPERATIONS)
    table = rng.choice(catalog.tables)
    columns = tuple(ScopeColumn("t0", c.name, k) for c in table.columns if (k := kind_of(c.type)) is not None)
    g = Grammar(rng, columns, gaps, tables=tables, aliases=aliases)
    g.used["set_operation"] += 1
    g.used[operation] += 1
    items = tuple(g.expr(kind_of_node(item) or "int", rng.choice((0, 1, 2))) for item in first.items)
    where = tuple(g.expr("bool", 1) for _ in range(rng.choice((0, 1))))
    branch = Query(table.name, (), items, None, where)
    constructs = Counter(first.constructs)
    constructs.update(g.used)
    return first.without(compound=(operation, branch), constructs=constructs, spelled_all=False)


def _select(g: Grammar, rng: random.Random, base: str, joins: tuple[Join, ...], key: "exp.Expression | None",
            lead: list["exp.Expression"]) -> Query:
    """The SELECT over the scope in `g`: grouped (keys, aggregates, HAVING) or rows (items, a window, QUALIFY)."""
    having_clause = grouping = None
    if rng.random() < 0.5:
        group = rng.choice((0, 1, 1, 2, 2, 3))
        items = lead + [g.expr(rng.choice(GROUPABLE + ("trunc",)), rng.choice((0, 0, 1, 2))) for _ in range(group)]
        group_keys: int | None = len(items)
        items += [aggregate(g, key) for _ in range(rng.choice((1, 2, 3)))]
        g.used["group_by" if group_keys else "global_aggregate"] += 1
        if group_keys and rng.random() < 0.25:
            having_clause = having(g, key)
        if rng.random() < 0.12 and _can_group_in_sets(items[:group_keys]) and (
                "grouping_key_over_key" not in g.gaps or not _key_over_key(items[:group_keys])):
            grouping = rng.choice(GROUPINGS)
    else:
        items = lead + [g.expr(rng.choice(("int", "dec", "float", "str", "date", "ts", "bool", "trunc")),
                               rng.choice((1, 2, 3)))
                        for _ in range(rng.choice((1, 2, 3)))]
        if key is not None and rng.random() < 0.6:
            items.append(window(g, key))
        group_keys = None
    qualify = None
    if group_keys is None and key is not None and rng.random() < 0.12:
        g.used["qualify"] += 1
        qualify = fill(f"row_number() OVER (PARTITION BY __p ORDER BY __k) {rng.choice(('=', '<='))} "
                       f"{rng.choice((1, 2))}",
                       p=g.expr(rng.choice(("str", "int", "date")), 1), k=key)
    spelled_all = rng.random() < 0.15 and grouping is None
    if spelled_all:
        g.used["group_order_all"] += 1
    where = tuple(g.expr("bool", 2) for _ in range(rng.choice((0, 0, 1, 1, 2))))
    order = limit = nulls = None
    if rng.random() < 0.65:
        order = tuple(rng.random() < 0.3 for _ in items)
        g.used["order_by"] += 1
        if any(order):
            g.used["order_desc"] += 1
        if rng.random() < 0.25:
            nulls = tuple(rng.choice(("first", None)) for _ in items)
            g.used["order_nulls_first" if any(nulls) else "order_nulls_default"] += 1
        if rng.random() < 0.6:
            limit = rng.choice((1, 3, 5, 10))
            g.used["order_limit"] += 1
    else:
        g.used["unordered"] += 1
    if spelled_all and order is not None:
        order = (order[0],) * len(order)  # ORDER BY ALL sorts every column one way
    if grouping is not None:
        g.used["grouping_sets"] += 1
        g.used[grouping] += 1
    return Query(base, joins, tuple(items), group_keys, where, having_clause, order, limit, qualify, spelled_all,
                 g.used, nulls=nulls, grouping=grouping, bare_predicates="rollup_of_bare_predicate" not in g.gaps)
