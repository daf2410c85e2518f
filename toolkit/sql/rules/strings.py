"""String rules: functions whose edge cases (out of range, NULL) differ between DuckDB and the clouds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def split_part_on_bigquery(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `split_part(s, sep, n)` is the n-th piece, '' when there are fewer pieces, NULL when s or sep is NULL
    (Snowflake's SPLIT_PART is the same for n >= 1). BigQuery has no SPLIT_PART: emit
    `CASE WHEN s IS NULL OR sep IS NULL THEN NULL ELSE COALESCE(SPLIT(s, sep)[SAFE_OFFSET(n - 1)], '') END`. A part
    number that is not a positive literal (DuckDB counts negative ones from the end) is refused."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.SplitPart))):  # innermost first: an outer copy keeps the fix
        index = node.args.get("part_index")
        if not (isinstance(index, exp.Literal) and not index.is_string and index.this.isdigit() and int(index.this) > 0):
            raise ctx.refuse(node, "split_part with a part number that is not a positive literal has no portable form",
                             "split_part(s, sep, 2) with a literal part number from 1")
        text, sep = node.this, node.args["delimiter"]
        piece = exp.Bracket(this=exp.Split(this=text.copy(), expression=sep.copy()),
                            expressions=[exp.Literal.number(int(index.this) - 1)], offset=0, safe=True)
        replacement = exp.Case(
            ifs=[exp.If(this=exp.or_(exp.Is(this=text.copy(), expression=exp.Null()),
                                     exp.Is(this=sep.copy(), expression=exp.Null())),
                        true=exp.Null())],
            default=exp.Coalesce(this=piece, expressions=[exp.Literal.string("")]),
        )
        replacement.type = exp.DataType.build("VARCHAR")
        node.replace(replacement)
        ctx.note("split-part", "SPLIT(...)[SAFE_OFFSET(n - 1)], '' past the last piece as in the source")
    return tree


def regexp_extract_null_without_match(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery REGEXP_EXTRACT and Snowflake REGEXP_SUBSTR are NULL when the pattern does not match; DuckDB's
    regexp_extract returns '' then (and sqlglot keeps the bare call), so a COUNT or a GROUP BY of the result
    changes. Emit CASE WHEN regexp_matches(s, p) THEN regexp_extract(...) END for DuckDB.
    (bigquery/docs/reference/standard-sql/string_functions#regexp_extract; docs.snowflake.com/en/sql-reference/
    functions/regexp_substr: "If no match is found, returns NULL")"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.RegexpExtract)):
        if isinstance(node.parent, exp.If) and node.parent.args.get("true") is node:
            continue  # already guarded
        non_default = [node.args.get(k) for k in ("position", "occurrence")
                       if node.args.get(k) is not None and node.args[k].sql() != "1"]
        if non_default:
            raise ctx.refuse(node, "a regular-expression extract from a position or of a later occurrence has no "
                                   "exact DuckDB form", "REGEXP_EXTRACT(s, pattern) on a SUBSTR(s, position)")
        matches = exp.RegexpLike(this=node.this.copy(), expression=node.expression.copy())
        guarded = exp.Case(ifs=[exp.If(this=matches, true=node.copy())])
        guarded.type = exp.DataType.build("VARCHAR")
        node.replace(guarded)
        ctx.note("regexp-extract", "a regular-expression extract is NULL without a match, as in the source")
    return tree
