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
