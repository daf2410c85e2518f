"""Functions that reach Athena (Trino) and Redshift broken when KPIs are compiled through DuckDB (found by the
Snowflake-dialect hunt corpus, tests/corpus/snowflake_hunt): each rule prints the engine's own documented function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def computed_interval_as_date_add(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `d + INTERVAL (n - 1) MONTH` takes a computed amount (sqlglot writes it for Snowflake ADD_MONTHS,
    DATE_FROM_PARTS and LAST_DAY(d, 'week') compiled through DuckDB); Trino's INTERVAL takes only a literal string and
    sqlglot's Redshift text drops the amount (`INTERVAL MONTH`). Emit the engines' function: Trino
    DATE_ADD('month', n - 1, d), Redshift DATEADD(month, n - 1, d) (a subtraction adds -(n)).
    (trino.io/docs/current/functions/datetime.html#date_add;
    docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html)"""
    from sqlglot import exp

    for interval in reversed(list(tree.find_all(exp.Interval))):  # innermost first: an outer copy keeps its rewrite
        amount, parent = interval.this, interval.parent
        if isinstance(amount, exp.Literal) or not isinstance(parent, (exp.Add, exp.Sub)):
            continue
        if parent.expression is not interval or interval.args.get("unit") is None:
            continue
        shift = amount.copy() if isinstance(parent, exp.Add) else exp.Neg(this=exp.Paren(this=amount.copy()))
        added = exp.DateAdd(this=parent.this.copy(), expression=shift, unit=interval.args["unit"].copy())
        added.type = parent.this.type
        parent.replace(added)
        ctx.note("interval", "d + INTERVAL (n) unit -> the engine's DATE_ADD(unit, n, d)")
    return tree


def date_from_parts_by_date_add(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB MAKE_DATE(y, m, d) (Snowflake DATE_FROM_PARTS through DuckDB) is printed DATE_FROM_PARTS for Athena and
    Redshift, which have no such function. Count from 1970-01-01 with the engines' date addition instead:
    DATE_ADD('day', d - 1, DATE_ADD('month', m - 1, DATE_ADD('year', y - 1970, DATE '1970-01-01'))) (Redshift
    DATEADD), which also carries a month 13 into the next year as Snowflake does.
    (trino.io/docs/current/functions/datetime.html#date_add;
    docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html)"""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.DateFromParts))):
        epoch: exp.Expression = exp.cast(exp.Literal.string("1970-01-01"), exp.DataType.build("DATE"))
        for part, unit, base in (("year", "YEAR", 1970), ("month", "MONTH", 1), ("day", "DAY", 1)):
            amount = exp.Sub(this=exp.Paren(this=node.args[part].copy()), expression=exp.Literal.number(base))
            epoch = exp.DateAdd(this=epoch, expression=amount, unit=exp.var(unit))
        dated = exp.cast(epoch, exp.DataType.build("DATE"))  # a DATE already: said for readers that widen it
        dated.type = exp.DataType.build("DATE")
        node.replace(dated)
        ctx.note("date-from-parts", "MAKE_DATE(y, m, d) -> date additions from 1970-01-01")
    return tree


def arg_max_as_max_by(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB ARG_MAX_NULL(v, k) / ARG_MIN_NULL (Snowflake MAX_BY / MIN_BY through DuckDB) return v of the row with
    the highest (lowest) k, NULL included: that is Trino's max_by / min_by, so Athena gets MAX_BY / MIN_BY (sqlglot
    copied the DuckDB name). Redshift has neither function nor an equivalent aggregate: refused with the window
    spelling. (trino.io/docs/current/functions/aggregate.html#max_by)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Anonymous, exp.ArgMax, exp.ArgMin)):
        name = node.name.upper() if isinstance(node, exp.Anonymous) else type(node).__name__.upper()
        if name not in ("ARG_MAX_NULL", "ARG_MIN_NULL", "ARGMAX", "ARGMIN"):
            continue
        if ctx.target == "redshift":
            raise ctx.refuse(node, "MAX_BY / MIN_BY (arg_max) has no Redshift form",
                             "ROW_NUMBER() OVER (PARTITION BY ... ORDER BY k DESC) = 1 in a subquery")
        if isinstance(node, exp.Anonymous):
            value, key = node.expressions
            highest = name == "ARG_MAX_NULL"
            node.replace((exp.ArgMax if highest else exp.ArgMin)(this=value.copy(), expression=key.copy()))
            ctx.note("max-by", "arg_max_null(v, k) -> Trino max_by(v, k)")
    return tree


def regexp_count_as_function(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """LENGTH(REGEXP_EXTRACT_ALL(s, p)) (Snowflake REGEXP_COUNT compiled through DuckDB) takes the length of an ARRAY,
    which Trino's LENGTH and Redshift (no REGEXP_EXTRACT_ALL) do not accept, while both have REGEXP_COUNT(s, p).
    (trino.io/docs/current/functions/regexp.html#regexp_count; docs.aws.amazon.com/redshift/latest/dg/
    REGEXP_COUNT.html) Redshift's missing CONCAT_WS is `concat_ws_skips_nulls`' job."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Length, exp.ArraySize)):
        found = node.this
        group = found.args.get("group") if isinstance(found, exp.RegexpExtractAll) else None
        if isinstance(found, exp.RegexpExtractAll) and (group is None or group.sql() == "0"):
            count = exp.RegexpCount(this=found.this.copy(), expression=found.expression.copy())
            count.type = exp.DataType.build("BIGINT")
            node.replace(count)
            ctx.note("regexp-count", "LENGTH(REGEXP_EXTRACT_ALL(s, p)) -> REGEXP_COUNT(s, p)")
    return tree
    for node in list(tree.find_all(exp.ConcatWs)):
        separator, *parts = node.expressions
        if not parts:
            continue
        # each non-NULL part with its separator in front, the first separator cut off: NULL parts are skipped with
        # their separator, as DuckDB's concat_ws does
        pieces = [exp.Coalesce(this=exp.DPipe(this=separator.copy(), expression=exp.cast(part.copy(), "VARCHAR")),
                               expressions=[exp.Literal.string("")]) for part in parts]
        joined: exp.Expression = pieces[0]
        for piece in pieces[1:]:
            joined = exp.DPipe(this=joined, expression=piece)
        start = exp.Add(this=exp.Length(this=separator.copy()), expression=exp.Literal.number(1))
        node.replace(exp.Substring(this=exp.Paren(this=joined), start=start))
        ctx.note("concat-ws", "CONCAT_WS(sep, a, b) -> the parts with their separators, the first one cut off")
    return tree
