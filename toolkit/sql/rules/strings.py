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

    for node in list(tree.find_all(exp.SplitPart)):
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
