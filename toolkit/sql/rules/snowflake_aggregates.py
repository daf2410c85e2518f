"""Snowflake aggregates that BigQuery (and DuckDB) lack or read differently, found by KPIs written as a Snowflake
team writes them (tests/corpus/snowflake_hunt): each rule restates the documented Snowflake meaning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def grouping_bit_vector(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake GROUPING(a, b) with several arguments returns a bit vector, the first argument the highest bit
    (GROUPING(a) * 2 + GROUPING(b): 0 for a detail row, 1 for a subtotal over b, 3 for the grand total); BigQuery's
    GROUPING takes one argument ("No matching signature"). Emit the sum of single-argument GROUPINGs weighted by
    powers of two. (docs.snowflake.com/en/sql-reference/functions/grouping; bigquery/docs/reference/standard-sql/
    aggregate_functions#grouping)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Grouping)):
        args = node.expressions
        if len(args) < 2:
            continue
        total: exp.Expression | None = None
        for position, arg in enumerate(args):
            weight = 2 ** (len(args) - 1 - position)
            term: exp.Expression = exp.Grouping(expressions=[arg.copy()])
            if weight > 1:
                term = exp.Mul(this=term, expression=exp.Literal.number(weight))
            total = term if total is None else exp.Add(this=total, expression=term)
        assert total is not None
        node.replace(exp.Paren(this=total))
        ctx.note("grouping", "GROUPING(a, b, ...) -> the same bit vector from one-argument GROUPINGs")
    return tree


def array_agg_skips_nulls(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake ARRAY_AGG omits NULL values and returns an empty array over no (non-NULL) values. sqlglot writes
    BigQuery `ARRAY_AGG(x) FILTER (WHERE x IS NOT NULL)`, which BigQuery cannot parse; BigQuery's own form is
    `ARRAY_AGG(x IGNORE NULLS)`; BigQuery's and DuckDB's ARRAY_AGG over nothing is NULL, not [] (ARRAY_SIZE gives
    NULL, not 0): wrap it in IFNULL(..., []) / COALESCE(..., []).
    WITHIN GROUP (ORDER BY ...) moves inside the call, where BigQuery takes it.
    (docs.snowflake.com/en/sql-reference/functions/array_agg: "NULL values are omitted", "If the input is empty, an
    empty array is returned"; bigquery/docs/reference/standard-sql/aggregate_functions#array_agg)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.ArrayAgg)):
        if not node.args.get("nulls_excluded"):
            continue
        outer: exp.Expression = node
        if isinstance(node.parent, exp.WithinGroup) and node.parent.this is node:
            outer = node.parent
        if ctx.target != "bigquery":  # DuckDB prints the FILTER; its ARRAY_AGG over nothing is NULL too
            outer.replace(exp.Coalesce(this=outer.copy(), expressions=[exp.Array(expressions=[])]))
            ctx.note("array-agg", "ARRAY_AGG gives [] over nothing, as on Snowflake")
            continue
        value = node.this.copy()
        if outer is not node:
            order = outer.expression.copy()
            for ordered in order.expressions:  # NULLs are dropped: BigQuery's own NULL order (sqlglot refuses others)
                ordered.set("nulls_first", not ordered.args.get("desc"))
            value = exp.Order(this=value, expressions=order.expressions)
        aggregate = exp.IgnoreNulls(this=exp.ArrayAgg(this=value))
        outer.replace(exp.func("IFNULL", aggregate, exp.Array(expressions=[])))
        ctx.note("array-agg", "ARRAY_AGG skips NULLs and gives [] over nothing, as on Snowflake")
    return tree


def mode_has_no_bigquery_form(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake MODE(x) is the most frequent non-NULL value of the group, one of the tied values when several are
    as frequent; BigQuery has no MODE (sqlglot copies it: "Function not found") and its APPROX_TOP_COUNT is
    approximate. An exact form needs a second level of grouping the compiler cannot add inside an aggregate list:
    refuse it, naming the portable spelling (which also makes the tie-break explicit).
    (docs.snowflake.com/en/sql-reference/functions/mode; bigquery/docs/reference/standard-sql/
    approximate_aggregate_functions#approx_top_count)"""
    from sqlglot import exp

    for node in tree.find_all(exp.Mode):
        raise ctx.refuse(node, "MODE(x) has no exact BigQuery form",
                         "COUNT(*) per (group, x) in a subquery, keeping ROW_NUMBER() OVER (PARTITION BY group "
                         "ORDER BY COUNT(*) DESC, x) = 1")
    return tree


def max_by_returns_the_rows_value(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake MAX_BY(v, k) / MIN_BY(v, k) return v of the row with the highest (lowest) k, NULL when that row's v
    is NULL; sqlglot writes DuckDB ARG_MAX / ARG_MIN, which skip rows whose v is NULL and so return another row's v,
    and BigQuery MAX_BY, which ZetaSQL does not know. Emit DuckDB ARG_MAX_NULL / ARG_MIN_NULL and BigQuery
    ANY_VALUE(v HAVING MAX k) (HAVING MIN); the form returning several values (a third argument) is refused.
    (docs.snowflake.com/en/sql-reference/functions/max_by; duckdb.org/docs/stable/sql/functions/aggregates
    #arg_max_nullarg-val; bigquery/docs/reference/standard-sql/aggregate_functions#any_value)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.ArgMax, exp.ArgMin)):
        highest = isinstance(node, exp.ArgMax)
        if node.args.get("count") is not None:
            raise ctx.refuse(node, "MAX_BY / MIN_BY returning several values (an ARRAY) has no portable form",
                             "ROW_NUMBER() OVER (PARTITION BY ... ORDER BY k DESC) <= n in a subquery")
        value, key = node.this.copy(), node.expression.copy()
        if ctx.target == "bigquery":
            replacement: exp.Expression = exp.AnyValue(this=exp.HavingMax(this=value, expression=key, max=highest))
        else:
            replacement = exp.Anonymous(this="ARG_MAX_NULL" if highest else "ARG_MIN_NULL", expressions=[value, key])
        replacement.type = node.this.type
        node.replace(replacement)
        ctx.note("max-by", "MAX_BY / MIN_BY return the winning row's value, NULL included")
    return tree


def count_distinct_of_several_columns(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake COUNT(DISTINCT a, b) counts the distinct (a, b) pairs with no NULL in them; BigQuery's COUNT takes
    one DISTINCT argument ("No matching signature"). Count one text key per row instead, NULL when any part is:
    COUNT(DISTINCT IF(a IS NULL OR b IS NULL, NULL, TO_JSON_STRING(STRUCT(a, b)))).
    (docs.snowflake.com/en/sql-reference/functions/count; bigquery/docs/reference/standard-sql/
    json_functions#to_json_string)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Count)):
        distinct = node.this
        if not isinstance(distinct, exp.Distinct) or len(distinct.expressions) < 2:
            continue
        parts = [part.copy() for part in distinct.expressions]
        any_null = exp.or_(*(exp.Is(this=part.copy(), expression=exp.Null()) for part in parts))
        key = exp.Anonymous(this="TO_JSON_STRING", expressions=[exp.Struct(expressions=parts)])
        keyed = exp.If(this=any_null, true=exp.Null(), false=key)
        node.set("this", exp.Distinct(expressions=[keyed]))
        ctx.note("count-distinct", "COUNT(DISTINCT a, b) -> COUNT(DISTINCT one key per (a, b) without NULLs)")
    return tree
