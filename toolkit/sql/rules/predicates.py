"""Precedence and predicate rules (found by the differential fuzzer, toolkit/sql/fuzz): operator precedence around
IS, comparisons and arithmetic, and LIKE's escape character."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def _comparisons() -> tuple[type, ...]:
    from sqlglot import exp

    return (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def is_binds_after_comparison(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB (like PostgreSQL) binds `IS [NOT] NULL` looser than a comparison: `a >= b IS NULL` is
    `(a >= b) IS NULL` (duckdb.org/docs/stable/sql/expressions/comparison_operators; measured: `2 >= 1 IS NULL` is
    false). sqlglot's DuckDB parser reads `a >= (b IS NULL)`: a different predicate, which BigQuery rejects as a
    syntax error. An unparenthesised IS as a comparison's right operand can only come from that text, so re-associate
    it to what DuckDB means. For a DuckDB source (the parse is the problem), on every target."""
    from sqlglot import exp

    if ctx.source != "duckdb":
        return tree
    for node in list(tree.find_all(*_comparisons())):
        right = node.args.get("expression")
        negated = isinstance(right, exp.Not) and isinstance(right.this, exp.Is)
        test = right.this if negated else right
        if not isinstance(test, exp.Is):
            continue
        comparison = node.copy()
        comparison.set("expression", test.this.copy())
        comparison.type = exp.DataType.build("BOOLEAN")
        fixed: exp.Expression = exp.Is(this=exp.Paren(this=comparison), expression=test.expression.copy())
        if negated:
            fixed = exp.Not(this=fixed)
        fixed.type = exp.DataType.build("BOOLEAN")
        node.replace(fixed)
        ctx.note("precedence", "`a op b IS NULL` is `(a op b) IS NULL`, as DuckDB reads it")
    return tree


def _comparison_level(node: "exp.Expression") -> bool:
    from sqlglot import exp

    levels = (*_comparisons(), exp.Is, exp.Like, exp.ILike, exp.Between, exp.In, exp.Not)
    return isinstance(node, levels)


def comparisons_non_associative(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery's comparison operators (=, <, IS, LIKE, BETWEEN, IN, ...) share one precedence level and do not
    associate (docs.cloud.google.com/bigquery/docs/reference/standard-sql/operators, "Operator precedence"):
    `(a < b) = c` or `(a LIKE b) IS NULL` without their parentheses is a syntax error, while sqlglot prints them bare
    because DuckDB and Snowflake accept it. Parenthesise a comparison (or NOT) that is an operand of another."""
    from sqlglot import exp

    operands = ("this", "expression", "low", "high")
    for node in list(tree.walk()):
        if not _comparison_level(node) or isinstance(node, exp.Not):
            continue
        for key in operands:
            operand = node.args.get(key)
            if isinstance(operand, exp.Expression) and _comparison_level(operand):
                if isinstance(node, exp.Is) and key == "expression":
                    continue
                wrapped = exp.Paren(this=operand.copy())
                wrapped.type = operand.type
                operand.replace(wrapped)
                ctx.note("precedence", "comparison operand parenthesised (BigQuery comparisons do not associate)")
    return tree


def _arithmetic_level(node: "exp.Expression") -> int | None:
    from sqlglot import exp

    if isinstance(node, (exp.Mul, exp.Div, exp.IntDiv, exp.Mod)):
        return 2
    if isinstance(node, (exp.Add, exp.Sub)):
        return 1
    if isinstance(node, (exp.Binary, exp.Not, exp.Is, exp.Like, exp.ILike, exp.Between, exp.In)):
        return 0  # comparisons, AND/OR, ||: looser than any arithmetic
    return None


def rule_built_operands_parenthesised(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """sqlglot prints a tree as it stands and relies on the parser's Paren nodes for precedence: a rewrite that puts
    `MOD(d + 5, 7) + 1` under `0.1 * (...)` prints `0.1 * MOD(d + 5, 7) + 1`, which every engine reads as
    `(0.1 * MOD(...)) + 1` (ISO weekday 1 became 0.1 * 0 + 1 = 1 instead of 0.1). Parse trees always carry their
    parentheses, so this only changes what rules built: an arithmetic operand that binds looser than its operator
    (on the right: as loose or looser, `a - (b - c)`) gets parentheses. Runs last, on every target."""
    from sqlglot import exp

    for node in list(tree.walk()):
        level = _arithmetic_level(node)
        if level is None or level == 0 or not isinstance(node, exp.Binary):
            continue
        for key, loosest_kept in (("this", level), ("expression", level + 1)):
            operand = node.args.get(key)
            operand_level = _arithmetic_level(operand) if isinstance(operand, exp.Expression) else None
            if operand_level is not None and operand_level < loosest_kept:
                wrapped = exp.Paren(this=operand.copy())
                wrapped.type = operand.type
                operand.replace(wrapped)
                ctx.note("precedence", "a rewritten arithmetic operand keeps its parentheses")
    return tree


def like_backslash_is_literal(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's LIKE has no escape character unless ESCAPE names one (duckdb.org/docs/stable/sql/functions/
    pattern_matching; measured: `'a\\b' LIKE '%\\%'` is true), so a backslash in a pattern matches itself. BigQuery's
    LIKE treats a backslash as the escape (docs.cloud.google.com/bigquery/docs/reference/standard-sql/operators,
    "LIKE operator": `\\%` matches a literal %), so `'x%y' LIKE '%\\%%'` changes answer. Double every backslash of
    the pattern (`REPLACE(p, '\\', '\\\\')` when it is not a literal): each then matches one backslash, as in
    the source."""
    from sqlglot import exp

    if ctx.source != "duckdb":
        return tree
    for node in list(tree.find_all(exp.Like, exp.ILike)):
        if isinstance(node.parent, exp.Escape):
            continue  # an explicit ESCAPE: the source said what escapes
        pattern = node.args.get("expression")
        if isinstance(pattern, exp.Literal) and pattern.is_string:
            if "\\" not in pattern.this:
                continue
            node.set("expression", exp.Literal.string(pattern.this.replace("\\", "\\\\")))
        elif isinstance(pattern, exp.Expression):
            node.set("expression", exp.Anonymous(this="REPLACE", expressions=[
                pattern.copy(), exp.Literal.string("\\"), exp.Literal.string("\\\\")]))
        else:
            continue
        ctx.note("like-escape", "backslashes in a LIKE pattern doubled: DuckDB has no default escape character")
    return tree
