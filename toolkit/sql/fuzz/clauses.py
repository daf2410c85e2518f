"""Aggregates, window functions and HAVING predicates: the productions that need the query's shape (the base table's
key, which orders windows and arg_max deterministically). `key` is None over a CTE (no unique key is known there):
then only constructs whose answer does not depend on an order are generated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.fuzz.templates import GROUPABLE, NUMERIC, ORDERABLE, fill, tag

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.sql.fuzz.grammar import Grammar


# -- aggregates ----------------------------------------------------------------------------------------------------
def aggregate(g: "Grammar", key: "exp.Expression | None") -> "exp.Expression":
    rng = g.rng
    choice = rng.randrange(16)
    if choice == 0:
        g.used["count"] += 1
        return tag(fill("COUNT(*)"), "int")
    if choice == 1:
        g.used["count"] += 1
        return tag(fill("COUNT(__a)", a=g.expr(rng.choice(ORDERABLE), 1)), "int")
    if choice == 2:
        g.used["count_distinct"] += 1
        return tag(fill("COUNT(DISTINCT __a)", a=g.expr(rng.choice(GROUPABLE + ("float", "ts")), 1)), "int")
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
    if choice == 10 and key is not None:
        g.used["arg_max"] += 1
        kind = rng.choice(("int", "str", "date"))
        name = rng.choice(("arg_max", "arg_min", "max_by", "min_by"))
        return tag(fill(f"{name}(__a, __k)", a=g.expr(kind, 1), k=key), kind)
    if choice == 7:
        g.used["bool_aggregate"] += 1
        return tag(fill(f"{rng.choice(('bool_and', 'bool_or'))}(__a)", a=g.expr("bool", 1)), "bool")
    if choice == 8:
        return _string_agg(g)
    if choice == 6 and "median" not in g.gaps:
        g.used["median"] += 1
        return tag(fill("median(__a)", a=g.expr(rng.choice(NUMERIC), 1)), "float")
    if choice == 11:
        g.used["distinct_aggregate"] += 1
        kind = rng.choice(("int", "dec"))
        if rng.random() < 0.5:
            return tag(fill("SUM(DISTINCT __a)", a=g.expr(kind, 1)), kind)
        return tag(fill("AVG(DISTINCT __a)", a=g.expr(kind, 1)), "float")
    if choice == 12:
        return _ratio(g)
    if choice == 13:
        g.used["dispersion"] += 1
        name = rng.choice(("stddev_samp", "stddev_pop", "var_samp", "var_pop"))
        return tag(fill(f"{name}(__a)", a=g.expr(rng.choice(NUMERIC), 1)), "float")
    kind = rng.choice(("int", "dec", "str", "date", "ts", "float", "bool"))
    g.used["min_max"] += 1
    return tag(fill(f"{rng.choice(('MIN', 'MAX'))}(__a)", a=g.expr(kind, 2)), kind)


def _string_agg(g: "Grammar") -> "exp.Expression":
    from sqlglot import exp

    g.used["string_agg"] += 1
    text = g.expr("str", 1)
    if not text.find(exp.Column) or text.find(exp.Subquery):  # DuckDB refuses to order by a constant
        return tag(fill("string_agg(__a, ',')", a=text), "str")
    if g.rng.random() < 0.4:
        g.used["distinct_aggregate"] += 1
        return tag(fill("string_agg(DISTINCT __a, '|' ORDER BY __a)", a=text), "str")
    return tag(fill(f"string_agg(__a, ',' ORDER BY __a{g.rng.choice(('', ' DESC'))})", a=text), "str")


def _ratio(g: "Grammar") -> "exp.Expression":
    """KPI ratios: an aggregate over an aggregate, a percentage of rows, a difference of sums."""
    rng = g.rng
    g.used["aggregate_ratio"] += 1
    choice = rng.randrange(3)
    if choice == 0:
        return tag(fill("SUM(__a) / NULLIF(COUNT(__b), 0)", a=g.expr(rng.choice(NUMERIC), 1),
                        b=g.expr(rng.choice(ORDERABLE), 0)), "float")
    if choice == 1:
        return tag(fill(f"round(100.0 * count_if(__c) / NULLIF(COUNT(*), 0), {rng.choice((0, 1, 2))})",
                        c=g.expr("bool", 1)), "float")
    kind = rng.choice(("int", "dec"))
    return tag(fill("SUM(__a) - SUM(__b)", a=g.expr(kind, 1), b=g.expr(kind, 1)), kind)


def having(g: "Grammar", key: "exp.Expression | None") -> "exp.Expression":
    """A HAVING predicate: the row count (the first grammar's) or any aggregate compared with a value of its kind."""
    rng = g.rng
    g.used["having"] += 1
    if rng.random() < 0.3:
        return fill(f"COUNT(*) {rng.choice(('>', '>=', '='))} {rng.choice((1, 2))}")
    g.used["having_aggregate"] += 1
    measure = aggregate(g, key)
    kind = measure.meta.get("fuzz_kind")
    if kind == "bool":
        return measure if rng.random() < 0.5 else fill("NOT __a", a=measure)
    if rng.random() < 0.2:
        return fill("__a IS NOT NULL", a=measure)
    op = rng.choice(("=", "<>", "<", "<=", ">", ">="))
    return fill(f"__a {op} __b", a=measure, b=g.literal(kind))


# -- windows -------------------------------------------------------------------------------------------------------
_FRAMES = ("ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
           "ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING", "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
           "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING")


def window(g: "Grammar", key: "exp.Expression") -> "exp.Expression":
    rng = g.rng
    g.used["window"] += 1
    partition = g.expr(rng.choice(("str", "int", "date")), 1)
    over = "PARTITION BY __p " if rng.random() < 0.8 else ""
    choice = rng.randrange(13)
    if choice == 0:
        return tag(fill(f"row_number() OVER ({over}ORDER BY __k)", p=partition, k=key), "int")
    if choice == 6:
        g.used["value_window"] += 1
        kind = rng.choice(ORDERABLE)
        name = rng.choice(("first_value", "last_value"))
        return tag(fill(f"{name}(__a) OVER ({over}ORDER BY __k)", p=partition, a=g.expr(kind, 1), k=key), kind)
    if choice == 7:
        g.used["rank"] += 1
        name, kind = rng.choice((("dense_rank()", "int"), ("ntile(2)", "int"), ("percent_rank()", "float"),
                                 ("ntile(3)", "int"), ("cume_dist()", "float")))
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
    if choice == 9:
        g.used["lag_default"] += 1
        kind = rng.choice(ORDERABLE)
        # DuckDB casts the default to the value's type: a decimal default small enough for any DECIMAL(p, s)
        default = fill("0.05") if kind == "dec" else g.literal(kind)
        return tag(fill(f"{rng.choice(('lag', 'lead'))}(__a, {rng.choice((1, 2, 3))}, __d) OVER ({over}ORDER BY __k)",
                        p=partition, a=g.expr(kind, 1), d=default, k=key), kind)
    if choice == 10:
        g.used["framed_window"] += 1
        g.used["frame_variety"] += 1
        name = rng.choice(("SUM", "MIN", "MAX", "COUNT", "AVG"))
        kind = rng.choice(("int", "dec") if name in ("SUM", "AVG") else ("int", "dec", "str", "date"))
        result = {"COUNT": "int", "AVG": "float"}.get(name, kind)
        return tag(fill(f"{name}(__a) OVER ({over}ORDER BY __k {rng.choice(_FRAMES)})", p=partition,
                        a=g.expr(kind, 1), k=key), result)
    if choice == 11:
        g.used["value_window"] += 1
        g.used["ignore_nulls"] += 1
        kind = rng.choice(ORDERABLE)
        name = rng.choice(("first_value", "last_value"))
        return tag(fill(f"{name}(__a IGNORE NULLS) OVER ({over}ORDER BY __k {rng.choice(_FRAMES)})", p=partition,
                        a=g.expr(kind, 1), k=key), kind)
    if choice == 12:
        g.used["rank"] += 1
        g.used["window_nulls_order"] += 1
        kind = rng.choice(("int", "str", "date"))
        direction = rng.choice(("", " DESC")) + rng.choice((" NULLS FIRST", " NULLS LAST"))
        return tag(fill(f"row_number() OVER ({over}ORDER BY __a{direction}, __k)", p=partition, a=g.expr(kind, 1),
                        k=key), "int")
    return tag(fill(f"COUNT(*) OVER ({over.strip()})", p=partition), "int")
