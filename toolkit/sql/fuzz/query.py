"""The query shape as data (so the shrinker can drop parts of it) and its rendering as one sqlglot SELECT.

    SELECT <keys>, <aggregates> | <scalar items>[, <window>]   each item aliased c0, c1, ...
    FROM base t0 [INNER|LEFT JOIN parent t1 ON t0.k = t1.k ...]
    [WHERE p AND q] [GROUP BY 1, 2] [HAVING h] [ORDER BY 1 [DESC], 2, ... [LIMIT n]]

ORDER BY always names every output column, so the order is total up to rows equal in every column (and LIMIT then
keeps the same multiset on every engine); without ORDER BY results are compared as multisets. Window functions
order by the base table's key (unique, never NULL), so they are deterministic too.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from toolkit.sql.fuzz.catalog import JoinKey, join_keys, key_column, kind_of
from toolkit.sql.fuzz.grammar import Grammar, ScopeColumn
from toolkit.sql.fuzz.templates import GROUPABLE, NUMERIC, ORDERABLE, fill, tag

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.gold.model import GoldCatalog


@dataclass(frozen=True)
class Join:
    kind: str  # "inner" | "left"
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

    def without(self, **changes: object) -> "Query":
        return replace(self, **changes)

    def tree(self) -> "exp.Select":
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
        if self.keys:
            if self.spelled_all and self.keys == len(self.items) - sum(1 for i in self.items if i.find(exp.AggFunc)):
                select.set("group", exp.Group(all=True))
            else:
                select = select.group_by(*(exp.Literal.number(i + 1) for i in range(self.keys)))
        if self.having is not None:
            select = select.having(self.having.copy())
        if self.qualify is not None:
            select = select.qualify(self.qualify.copy())
        if self.order is not None:
            order = self.order[: len(self.items)]
            if self.spelled_all and len(set(order)) == 1:
                select = select.order_by(exp.Ordered(this=exp.var("ALL"), desc=order[0]))
            else:
                select = select.order_by(*(exp.Ordered(this=exp.Literal.number(i + 1), desc=desc)
                                           for i, desc in enumerate(order)))
            if self.limit is not None:
                select = select.limit(self.limit)
        return select

    def sql(self) -> str:
        return self.tree().sql(dialect="duckdb")


# -- aggregates and windows -----------------------------------------------------------------------------------------
def aggregate(g: Grammar, key: "exp.Expression") -> "exp.Expression":
    rng = g.rng
    choice = rng.randrange(12)
    if choice == 0:
        g.used["count"] += 1
        return tag(fill("COUNT(*)"), "int")
    if choice == 1:
        g.used["count"] += 1
        return tag(fill("COUNT(__a)", a=g.expr(rng.choice(ORDERABLE), 1)), "int")
    if choice == 2:
        g.used["count_distinct"] += 1
        return tag(fill("COUNT(DISTINCT __a)", a=g.expr(rng.choice(GROUPABLE), 1)), "int")
    if choice == 3:
        g.used["count_if"] += 1
        return tag(fill("count_if(__a)", a=g.expr("bool", 1)), "int")
    if choice == 4:
        kind = rng.choice(NUMERIC)
        g.used["sum"] += 1
        return tag(fill("SUM(__a)", a=g.expr(kind, 2)), kind)
    if choice == 5:
        g.used["avg"] += 1
        return tag(fill("AVG(__a)", a=g.expr(rng.choice(NUMERIC), 2)), "float")
    if choice == 9:
        g.used["aggregate_filter"] += 1
        kind = rng.choice(("int", "dec"))
        return tag(fill(f"{rng.choice(('COUNT', 'SUM', 'MAX'))}(__a) FILTER (WHERE __c)", a=g.expr(kind, 1),
                        c=g.expr("bool", 1)), kind)
    if choice == 10:
        g.used["arg_max"] += 1
        kind = rng.choice(("int", "str", "date"))
        return tag(fill(f"{rng.choice(('arg_max', 'arg_min'))}(__a, __k)", a=g.expr(kind, 1), k=key), kind)
    if choice == 7:
        g.used["bool_aggregate"] += 1
        return tag(fill(f"{rng.choice(('bool_and', 'bool_or'))}(__a)", a=g.expr("bool", 1)), "bool")
    if choice == 8:
        g.used["string_agg"] += 1
        text = g.expr("str", 1)
        from sqlglot import exp

        ordered = " ORDER BY __a" if text.find(exp.Column) else ""  # DuckDB refuses to order by a constant
        return tag(fill(f"string_agg(__a, ','{ordered})", a=text), "str")
    if choice == 6 and "median" not in g.gaps:
        g.used["median"] += 1
        return tag(fill("median(__a)", a=g.expr(rng.choice(NUMERIC), 1)), "float")
    kind = rng.choice(("int", "dec", "str", "date"))
    g.used["min_max"] += 1
    return tag(fill(f"{rng.choice(('MIN', 'MAX'))}(__a)", a=g.expr(kind, 2)), kind)


def window(g: Grammar, key: "exp.Expression") -> "exp.Expression":
    rng = g.rng
    g.used["window"] += 1
    partition = g.expr(rng.choice(("str", "int", "date")), 1)
    over = "PARTITION BY __p " if rng.random() < 0.8 else ""
    choice = rng.randrange(9)
    if choice == 0:
        return tag(fill(f"row_number() OVER ({over}ORDER BY __k)", p=partition, k=key), "int")
    if choice == 6:
        g.used["value_window"] += 1
        kind = rng.choice(ORDERABLE)
        name = rng.choice(("first_value", "last_value"))
        return tag(fill(f"{name}(__a) OVER ({over}ORDER BY __k)", p=partition, a=g.expr(kind, 1), k=key), kind)
    if choice == 7:
        g.used["rank"] += 1
        name, kind = rng.choice((("dense_rank()", "int"), ("ntile(2)", "int"), ("percent_rank()", "float")))
        return tag(fill(f"{name} OVER ({over}ORDER BY __a, __k)", p=partition, a=g.expr("int", 1), k=key), kind)
    if choice == 8:
        g.used["framed_window"] += 1
        return tag(fill(f"AVG(__a) OVER ({over}ORDER BY __k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)", p=partition,
                        a=g.expr(rng.choice(("int", "dec")), 1), k=key), "float")
    if choice == 1:
        g.used["rank"] += 1
        kind = rng.choice(("int", "str", "date"))
        return tag(fill(f"rank() OVER ({over}ORDER BY __a{rng.choice(('', ' DESC'))})", p=partition,
                        a=g.expr(kind, 1)), "int")
    if choice == 2:
        kind = rng.choice(NUMERIC)
        return tag(fill(f"SUM(__a) OVER ({over.strip()})", p=partition, a=g.expr(kind, 1)), kind)
    if choice == 3:
        g.used["running_window"] += 1
        kind = rng.choice(("int", "dec"))
        return tag(fill(f"SUM(__a) OVER ({over}ORDER BY __k)", p=partition, a=g.expr(kind, 1), k=key), kind)
    if choice == 4:
        g.used["lag"] += 1
        kind = rng.choice(ORDERABLE)
        return tag(fill(f"{rng.choice(('lag', 'lead'))}(__a) OVER ({over}ORDER BY __k)", p=partition,
                        a=g.expr(kind, 1), k=key), kind)
    return tag(fill(f"COUNT(*) OVER ({over.strip()})", p=partition), "int")


# -- the whole query ------------------------------------------------------------------------------------------------
def generate(catalog: "GoldCatalog", seed: int, index: int, gaps: frozenset[str] = frozenset()) -> Query:
    """Query number `index` of run `seed` (each query has its own random stream: reproducible alone)."""
    from sqlglot import exp

    rng = random.Random(f"fedkit-fuzz:{seed}:{index}")
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
        joins.append(Join(rng.choice(("inner", "left")), edge.parent, alias, joined[edge.child], edge.column,
                          key_column(parent)))
        joined[edge.parent] = alias
    columns = tuple(
        ScopeColumn(alias, column.name, kind)
        for name, alias in joined.items()
        for column in catalog.table(name).columns  # type: ignore[union-attr]
        if (kind := kind_of(column.type)) is not None
    )
    g = Grammar(rng, columns, gaps)
    if joins:
        g.used["join"] += 1
        g.used["left_join" if any(j.kind == "left" for j in joins) else "inner_join"] += 1
    base_table = catalog.table(base)
    assert base_table is not None
    key = tag(exp.column(key_column(base_table), table="t0"), kind_of(base_table.columns[0].type) or "int")
    having = None
    if rng.random() < 0.5:
        group = rng.choice((0, 1, 1, 2, 2, 3))
        items = [g.expr(rng.choice(GROUPABLE + ("trunc",)), rng.choice((0, 0, 1, 2))) for _ in range(group)]
        items += [aggregate(g, key) for _ in range(rng.choice((1, 2, 3)))]
        group_keys: int | None = group
        g.used["group_by" if group else "global_aggregate"] += 1
        if group and rng.random() < 0.25:
            g.used["having"] += 1
            having = fill(f"COUNT(*) {rng.choice(('>', '>=', '='))} {rng.choice((1, 2))}")
    else:
        items = [g.expr(rng.choice(("int", "dec", "float", "str", "date", "ts", "bool", "trunc")), rng.choice((1, 2, 3)))
                 for _ in range(rng.choice((1, 2, 3)))]
        if rng.random() < 0.6:
            items.append(window(g, key))
        group_keys = None
    qualify = None
    if group_keys is None and rng.random() < 0.12:
        g.used["qualify"] += 1
        qualify = fill(f"row_number() OVER (PARTITION BY __p ORDER BY __k) {rng.choice(('=', '<='))} {rng.choice((1, 2))}",
                       p=g.expr(rng.choice(("str", "int", "date")), 1), k=key)
    spelled_all = rng.random() < 0.15
    if spelled_all:
        g.used["group_order_all"] += 1
    where = tuple(g.expr("bool", 2) for _ in range(rng.choice((0, 0, 1, 1, 2))))
    order = limit = None
    if rng.random() < 0.65:
        order = tuple(rng.random() < 0.3 for _ in items)
        g.used["order_by"] += 1
        if any(order):
            g.used["order_desc"] += 1
        if rng.random() < 0.6:
            limit = rng.choice((1, 3, 5, 10))
            g.used["order_limit"] += 1
    else:
        g.used["unordered"] += 1
    if spelled_all and order is not None:
        order = (order[0],) * len(order)  # ORDER BY ALL sorts every column one way
    return Query(base, tuple(joins), tuple(items), group_keys, where, having, order, limit, qualify, spelled_all,
                 g.used)
