"""Conditional rules: IF/IFF and COUNTIF/COUNT_IF become the CASE forms every engine reads the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def portable_conditionals(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """IF(c, a, b) is BigQuery and DuckDB, IFF Snowflake; COUNTIF(c) BigQuery, COUNT_IF(c) Snowflake and DuckDB,
    and a COUNT_IF over a NULL condition must not count the row. `CASE WHEN c THEN a ELSE b END` and
    `COUNT(CASE WHEN c THEN 1 END)` mean the same on every engine (NULL conditions fall to ELSE / are not counted)."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.If)):
        if isinstance(node.parent, exp.Case):
            continue  # a WHEN branch of a CASE
        case = exp.Case(ifs=[exp.If(this=node.this.copy(), true=node.args["true"].copy())])
        if node.args.get("false") is not None:
            case.set("default", node.args["false"].copy())
        case.type = node.type
        node.replace(case)
        ctx.note("conditionals", "IF/IFF -> CASE WHEN")
    for node in list(tree.find_all(exp.CountIf)):
        count = exp.Count(this=exp.Case(ifs=[exp.If(this=node.this.copy(), true=exp.Literal.number(1))]))
        count.type = exp.DataType.build("BIGINT")
        node.replace(count)
        ctx.note("conditionals", "COUNT_IF(c) -> COUNT(CASE WHEN c THEN 1 END)")
    return tree


def count_if_null_without_known_condition(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's `count_if(c)` is NULL when no row of the group has a known condition: over no rows at all
    (`SELECT count_if(c) FROM t WHERE false` is NULL, measured on DuckDB 2.0) and over a group whose conditions are
    all NULL. BigQuery COUNTIF and Snowflake COUNT_IF give 0 there. Emit `SUM(CASE WHEN c THEN 1 WHEN NOT c THEN 0
    END)`: a sum over no known values is NULL on every engine, and counts the TRUE rows otherwise (also as a
    window function). Runs before `portable_conditionals`, for a DuckDB source only."""
    from sqlglot import exp

    if ctx.source != "duckdb":
        return tree
    for node in list(tree.find_all(exp.CountIf)):
        cond = node.this
        one_zero = exp.Case(ifs=[
            exp.If(this=cond.copy(), true=exp.Literal.number(1)),
            exp.If(this=exp.Not(this=_operand_of_not(cond.copy())), true=exp.Literal.number(0)),
        ])
        total = exp.Sum(this=one_zero)
        total.type = exp.DataType.build("BIGINT")
        node.replace(total)
        ctx.note("count-if",
                 "COUNT_IF(c) -> SUM(CASE WHEN c THEN 1 WHEN NOT c THEN 0 END) (NULL over no known c, as DuckDB)")
    return tree


def _operand_of_not(cond: "exp.Expression") -> "exp.Expression":
    """NOT binds tighter than AND/OR but looser than comparisons: parenthesise only AND/OR conditions."""
    from sqlglot import exp

    return exp.Paren(this=cond) if isinstance(cond, exp.Connector) else cond


def greatest_least_skip_nulls(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's GREATEST/LEAST skip NULL arguments (NULL only when every argument is NULL); BigQuery's return NULL
    as soon as one argument is NULL, and sqlglot keeps the bare call. Give each argument the others as fallbacks,
    `GREATEST(COALESCE(a, b), COALESCE(b, a))`: a NULL is replaced by one of the other values, which cannot change
    the result, and all NULL stays NULL. (Snowflake gets GREATEST_IGNORE_NULLS from sqlglot already.)"""
    from sqlglot import exp

    # Innermost first: an outer call copies its arguments, so a nested one (a clamp, GREATEST(0, LEAST(x, 1))) must
    # already be rewritten when it is copied.
    for node in reversed(list(tree.find_all(exp.Greatest, exp.Least, bfs=False))):
        args = [node.this, *node.expressions]
        if not node.args.get("ignore_nulls") or len(args) < 2:
            continue
        guarded = []
        for index, arg in enumerate(args):
            others = [a.copy() for i, a in enumerate(args) if i != index]
            coalesce = exp.Coalesce(this=arg.copy(), expressions=others)
            coalesce.type = arg.type
            guarded.append(coalesce)
        replacement = type(node)(this=guarded[0], expressions=guarded[1:])
        replacement.type = node.type
        node.replace(replacement)
        ctx.note("greatest-least", "NULL arguments are skipped, as in the source (COALESCE fallbacks)")
    return tree
