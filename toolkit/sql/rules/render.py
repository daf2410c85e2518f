"""Turning a rewritten tree into text: sqlglot prints NULLS FIRST/LAST only where it differs from the target's
default, so explicit ordering marked by `ordering.explicit_null_ordering` is printed through a sentinel comment."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.sql.rules.ordering import NULLS_META

if TYPE_CHECKING:
    from sqlglot import exp

_SENTINEL = "__fedkit_nulls_{}__"
_SENTINEL_RE = re.compile(r"(\s+NULLS (?:FIRST|LAST))?(,?)[ \t]*/\* __fedkit_nulls_(FIRST|LAST)__ \*/")


def _target_default_first(null_ordering: str, desc: bool) -> bool:
    if null_ordering == "nulls_are_small":
        return not desc
    if null_ordering == "nulls_are_large":
        return desc
    return False


def generate(tree: "exp.Expression", target: str, pretty: bool) -> str:
    """SQL text of `tree` in `target`'s dialect; sqlglot's unsupported constructs raise UnsupportedError. Consumes
    `tree` (the compiler's own copy): sqlglot's generator rewrites it in place instead of deep-copying it first."""
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ErrorLevel

    dialect = Dialect.get_or_raise(target)
    for node in tree.walk():
        if node.comments:
            node.pop_comments()
    for ordered in tree.find_all(exp.Ordered):
        wanted = ordered.meta.get(NULLS_META)
        if wanted is None:
            continue
        # Let sqlglot print nothing (the target default), then print the explicit clause ourselves.
        ordered.set("nulls_first", _target_default_first(dialect.NULL_ORDERING, bool(ordered.args.get("desc"))))
        if wanted != "DEFAULT":
            ordered.add_comments([_SENTINEL.format(wanted)])
    if target == "duckdb":
        _forget_zoned_extract_types(tree)
    generator = dialect.generator(pretty=pretty, unsupported_level=ErrorLevel.RAISE)
    if target == "duckdb":
        _lambdas_with_keyword(generator)
    text = generator.generate(tree, copy=False)
    text = _SENTINEL_RE.sub(lambda m: f" NULLS {m.group(3)}{m.group(2)}", text)
    if "__fedkit_nulls_" in text:
        raise AssertionError("internal: NULLS ordering marker left in compiled SQL:\n" + text)
    return text


def duckdb_sql(tree: "exp.Expression") -> str:
    """`tree` printed as DuckDB SQL (one line), lambdas in the keyword form DuckDB 2 accepts (see below): for the
    stand-ins that translate other engines' SQL back to DuckDB."""
    from sqlglot.dialects.dialect import Dialect

    generator = Dialect.get_or_raise("duckdb").generator()
    _lambdas_with_keyword(generator)
    return generator.generate(tree, copy=True)


def _lambdas_with_keyword(generator: object) -> None:
    """sqlglot prints DuckDB lambdas with the arrow `x -> f(x)` (its own expansions of Snowflake INITCAP and
    ARRAY_TO_STRING use them), which DuckDB 1.3 deprecated and DuckDB 2 rejects by default ("Deprecated lambda arrow
    (->) detected"); fakesnow hides it by enabling the old syntax on its own connection. Print every lambda, the
    generator's own included, in the keyword form `LAMBDA x: f(x)` that DuckDB documents.
    (duckdb.org/docs/stable/sql/functions/lambda)"""
    from sqlglot import exp

    plain = generator._dispatch[exp.Lambda]  # type: ignore[attr-defined]

    def keyword_lambda(gen, node: "exp.Lambda") -> str:
        node.set("colon", True)
        return plain(gen, node)

    generator._dispatch = {**generator._dispatch, exp.Lambda: keyword_lambda}  # type: ignore[attr-defined]


def _forget_zoned_extract_types(tree: "exp.Expression") -> None:
    """sqlglot's DuckDB generator refuses EXTRACT from a typed TIMESTAMPTZ ("may produce different results due to
    timezone handling") because the answer depends on the session time zone. Every session fedkit opens (DuckDB
    engine and oracle, Snowflake, BigQuery's UTC default) is pinned to UTC (DESIGN §6), so the part means the same
    everywhere; without this, `EXTRACT(HOUR FROM order_ts)` compiles for BigQuery and Snowflake but not for DuckDB."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Extract)):
        operand = node.expression
        if operand.is_type(exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ):
            if isinstance(operand, exp.Cast):  # a CAST's type is its target type: parentheses hide it (fuzzer find)
                node.set("expression", exp.Paren(this=operand.copy()))
            else:
                operand.type = None
