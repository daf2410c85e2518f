"""Aggregate rules: approximate functions, STRING_AGG's separator, regex matching."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def no_approximate(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """APPROX_QUANTILES / APPROX_COUNT_DISTINCT / APPROX_TOP_COUNT give engine-specific approximate answers: parity
    cannot hold. The refusal names the exact form of the same construct, in the source dialect."""
    from sqlglot import exp

    for node in tree.find_all(exp.ApproxQuantile, exp.ApproxQuantiles, exp.ApproxDistinct, exp.ApproxTopK):
        written = node.sql(dialect=ctx.source).split("(")[0]
        raise ctx.refuse(node, f"{written} is approximate and differs by engine", _exact_form(node, ctx.source))
    return tree


def _exact_form(node: "exp.Expression", source: str) -> str:
    from sqlglot import exp

    if isinstance(node, exp.ApproxDistinct):
        return "COUNT(DISTINCT x), the exact count"
    if isinstance(node, exp.ApproxTopK):
        return "COUNT(*) per value with GROUP BY and ORDER BY the count DESC LIMIT k"
    if source == "bigquery":
        return "PERCENTILE_CONT(x, 0.5) OVER (PARTITION BY ...), exact, with the group's key in PARTITION BY"
    return "quantile_cont(x, 0.5) or median(x), exact"


def string_agg_separator(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """STRING_AGG(x) defaults to ',' in DuckDB and BigQuery but Snowflake's LISTAGG(x) defaults to '' (sqlglot
    drops the separator): state it."""
    from sqlglot import exp

    for node in tree.find_all(exp.GroupConcat):
        if node.args.get("separator") is None:
            node.set("separator", exp.Literal.string(","))
            ctx.note("string-agg", "STRING_AGG/LISTAGG gets the explicit ',' separator")
    return tree


def regexp_partial_match(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB regexp_matches / BigQuery REGEXP_CONTAINS match anywhere in the string; Snowflake REGEXP_LIKE must
    match the whole string. Emit `REGEXP_INSTR(s, p) > 0` for Snowflake."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.RegexpLike)):
        if node.args.get("full_match"):
            continue
        if node.args.get("flag") is not None:
            raise ctx.refuse(node, "regular-expression flags differ by engine", "lower()/upper() on both sides")
        found = exp.GT(
            this=exp.Anonymous(this="REGEXP_INSTR", expressions=[node.this.copy(), node.expression.copy()]),
            expression=exp.Literal.number(0),
        )
        node.replace(found)
        ctx.note("regexp", "partial regex match -> REGEXP_INSTR(s, p) > 0 (Snowflake REGEXP_LIKE is anchored)")
    return tree


def any_value_skips_nulls(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `any_value(x)` returns a non-NULL value when the group has one; Snowflake ANY_VALUE may return NULL,
    and ZetaSQL's ANY_VALUE takes any row, NULL included. sqlglot adds `IGNORE NULLS`, which BigQuery rejects for
    ANY_VALUE ("not allowed for aggregate function any_value") and Snowflake does not document. Emit `MIN(x)`: a
    non-NULL value of the group when there is one, and the same one on every engine (any_value's pick is
    unspecified, so parity can only agree where the value is the same across the group, e.g. a dependent column)."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.AnyValue)):
        smallest = exp.Min(this=node.this.copy())
        smallest.type = node.type
        target = node.parent if isinstance(node.parent, (exp.IgnoreNulls, exp.RespectNulls)) else node
        target.replace(smallest)
        ctx.note("any-value", "ANY_VALUE(x) -> MIN(x): a non-NULL value when there is one, as in DuckDB")
    return tree
