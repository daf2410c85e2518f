"""Rules for the AWS-native targets: Athena (Trino, engine v3) and Redshift, where sqlglot's output would run but
mean something else than the source (or not run at all). Shared rules (division in DOUBLE, AVG in DOUBLE, explicit
NULL ordering, weekday and ISO week numbering for Trino) are listed for these targets in `toolkit.sql.rules`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp

TRINO_QUANTILE_ALTERNATIVE = "median(x), quantile_cont(x, p) or quantile_disc(x, p) with a literal p in [0, 1]"

# The exact continuous quantile over the sorted non-NULL values s (1-based), n = CARDINALITY(s), h = 1 + (n - 1) * p:
# s[floor(h)] + (h - floor(h)) * (s[ceil(h)] - s[floor(h)]): DuckDB's quantile_cont / median interpolation.
_SORTED = "ARRAY_SORT(ARRAY_AGG(CAST(__fedkit_x AS DOUBLE)) FILTER (WHERE NOT __fedkit_x IS NULL))"
_H = f"(1 + (CARDINALITY({_SORTED}) - 1) * CAST(__fedkit_p AS DOUBLE))"
_EXACT_QUANTILE = (
    f"CASE WHEN CARDINALITY({_SORTED}) > 0 THEN "
    f"ELEMENT_AT({_SORTED}, CAST(FLOOR({_H}) AS BIGINT)) + ({_H} - FLOOR({_H})) * "
    f"(ELEMENT_AT({_SORTED}, CAST(CEIL({_H}) AS BIGINT)) - ELEMENT_AT({_SORTED}, CAST(FLOOR({_H}) AS BIGINT))) END"
)


# The same over DECIMAL values, exact: h in DECIMAL(38, 18), its fraction in DECIMAL(19, 18); the caller truncates the
# result to the input's scale, as DuckDB does (the median of 37.09 and 37.10 is 37.09 as a DECIMAL(12, 2)).
_SORTED_DEC = "ARRAY_SORT(ARRAY_AGG(__fedkit_x) FILTER (WHERE NOT __fedkit_x IS NULL))"
_H_DEC = f"(1 + (CARDINALITY({_SORTED_DEC}) - 1) * CAST(__fedkit_p AS DECIMAL(38, 18)))"
_EXACT_DECIMAL_QUANTILE = (
    f"CASE WHEN CARDINALITY({_SORTED_DEC}) > 0 THEN "
    f"ELEMENT_AT({_SORTED_DEC}, CAST(FLOOR({_H_DEC}) AS BIGINT)) + "
    f"CAST({_H_DEC} - FLOOR({_H_DEC}) AS DECIMAL(19, 18)) * "
    f"(ELEMENT_AT({_SORTED_DEC}, CAST(CEIL({_H_DEC}) AS BIGINT)) - "
    f"ELEMENT_AT({_SORTED_DEC}, CAST(FLOOR({_H_DEC}) AS BIGINT))) END"
)

# quantile_disc: the value at position max(1, ceil(n * p)) of the sorted non-NULL values, in their own type (DuckDB's
# definition, measured); n * p in DECIMAL so that 25 * 0.28 is 7, not 7.000000000000001.
_SORTED_RAW = "ARRAY_SORT(ARRAY_AGG(__fedkit_x) FILTER (WHERE NOT __fedkit_x IS NULL))"
_EXACT_DISCRETE = (f"ELEMENT_AT({_SORTED_RAW}, CAST(GREATEST(1, CEIL(CARDINALITY({_SORTED_RAW}) * "
                   "CAST(__fedkit_p AS DECIMAL(38, 18)))) AS BIGINT))")


def athena_exact_quantiles(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `median(x)` / `quantile_cont(x, p)` are exact (linear interpolation between the two nearest values).
    sqlglot writes Trino `PERCENTILE_CONT(x, p)`, which Athena engine v3 does not have: Trino's only percentile is
    `approx_percentile`, an approximation (t-digest) whose answer differs from the exact one
    (trino.io/docs/current/functions/aggregate.html, "Approximate aggregate functions";
    docs.aws.amazon.com/athena/latest/ug/functions-env3.html). Compute it exactly from Trino's array functions: the
    sorted non-NULL values `ARRAY_SORT(ARRAY_AGG(x) FILTER (WHERE NOT x IS NULL))` and DuckDB's interpolation,
    in DOUBLE (DECIMAL values: exactly in DECIMAL, truncated to their scale, as DuckDB keeps them); NULL over no
    value, as DuckDB. As a window function (`PERCENTILE_CONT(x, p) OVER (w)`, a BigQuery
    source) every ARRAY_AGG of the form runs OVER (w). quantile_disc (`quantile`) is the value at position
    max(1, ceil(n * p)), as DuckDB defines it; a fraction that is not a literal in [0, 1] is refused."""
    import sqlglot
    from sqlglot import exp

    from toolkit.sql.rules.quantiles import _decimal_scale

    for node in list(tree.find_all(exp.Median, exp.PercentileCont, exp.PercentileDisc, exp.Quantile)):
        fraction = (exp.Literal.number("0.5") if isinstance(node, exp.Median)
                    else node.args.get("quantile") if isinstance(node, exp.Quantile) else node.args.get("expression"))
        literal = isinstance(fraction, exp.Literal) and not fraction.is_string and 0 <= float(fraction.this) <= 1
        if not literal:
            raise ctx.refuse(node, f"{node.sql_name()} with a fraction that is not a literal between 0 and 1 has no "
                                   "exact form on Athena (Trino has only approx_percentile)",
                             TRINO_QUANTILE_ALTERNATIVE)
        discrete = isinstance(node, (exp.PercentileDisc, exp.Quantile))
        decimal = None if discrete else _decimal_scale(node.this, ctx)
        template = _EXACT_DISCRETE if discrete else _EXACT_QUANTILE if decimal is None else _EXACT_DECIMAL_QUANTILE
        exact = sqlglot.parse_one(template, read="trino")
        for column in list(exact.find_all(exp.Column)):
            if column.name == "__fedkit_x":
                column.replace(node.this.copy())
            elif column.name == "__fedkit_p":
                column.replace(fraction.copy())
        window = node.parent if isinstance(node.parent, exp.Window) else None
        if window is not None:  # PERCENTILE_CONT(x, p) OVER (w): every ARRAY_AGG of the form runs OVER (w)
            for aggregate in list(exact.find_all(exp.Filter)):
                over = window.copy()
                over.set("this", aggregate.copy())
                aggregate.replace(over)
        if decimal is not None:
            precision, digits = decimal
            exact = exp.cast(exp.Anonymous(this="TRUNCATE", expressions=[exact, exp.Literal.number(digits)]),
                             f"DECIMAL({precision}, {digits})")
        exact.type = (node.this.type if discrete else exp.DataType.build(f"DECIMAL({decimal[0]}, {decimal[1]})")
                      if decimal is not None else exp.DataType.build("DOUBLE"))
        (window or node).replace(exact)
        ctx.note("quantiles", "median / quantile_cont computed exactly from the sorted values (Athena has no exact "
                              "percentile aggregate)")
    return tree


def trino_split_part_past_the_end(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """`split_part(s, sep, n)` past the last piece is '' in DuckDB (and Redshift) but NULL in Trino ("If the index is
    larger than the number of fields, then null is returned": trino.io/docs/current/functions/string.html#split_part),
    so a COUNT, a GROUP BY or a concatenation of the piece changes. Emit `CASE WHEN s IS NULL OR sep IS NULL THEN NULL
    ELSE COALESCE(SPLIT_PART(s, sep, n), '') END`: NULL only where the source gives NULL."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.SplitPart)):
        if isinstance(node.parent, exp.Coalesce):
            continue  # already guarded
        text, sep = node.this, node.args["delimiter"]
        replacement = exp.Case(
            ifs=[exp.If(this=exp.or_(exp.Is(this=text.copy(), expression=exp.Null()),
                                     exp.Is(this=sep.copy(), expression=exp.Null())),
                        true=exp.Null())],
            default=exp.Coalesce(this=node.copy(), expressions=[exp.Literal.string("")]),
        )
        replacement.type = exp.DataType.build("VARCHAR")
        node.replace(replacement)
        ctx.note("split-part", "SPLIT_PART past the last piece is '' as in the source (Trino gives NULL)")
    return tree


def _date_part(part: str, arg: "exp.Expression") -> "exp.Expression":
    from sqlglot import exp

    value = exp.cast(exp.Anonymous(this="DATE_PART", expressions=[exp.var(part), arg]), exp.DataType.build("INT"))
    value.type = exp.DataType.build("INT")
    return value


def redshift_date_parts(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `dayofweek(d)` / EXTRACT(DOW) (Sunday = 0), `isodow(d)` (Monday = 1 .. 7) and `week(d)` / EXTRACT(WEEK)
    (ISO week) reach Redshift as DAY_OF_WEEK / DAYOFWEEK_ISO / WEEK(d), functions Redshift does not have, and
    Redshift's DATE_PART returns DOUBLE PRECISION, not an integer. Redshift's date parts: `dow` is 0-6 from Sunday,
    `week` "follows the ISO 8601 standard", and the return type is DOUBLE
    (docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_function.html, "Return type" and "Examples"). Emit
    `CAST(DATE_PART(dow, d) AS INT)`, `MOD(CAST(DATE_PART(dow, d) AS INT) + 6, 7) + 1` for ISO weekdays and
    `CAST(DATE_PART(week, d) AS INT)`."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.DayOfWeek, exp.DayOfWeekIso, exp.Week, exp.WeekOfYear, exp.Extract)):
        if isinstance(node, exp.Extract):
            part = node.this.name.upper()
            kind = {"DOW": "dow", "DAYOFWEEK": "dow", "WEEKDAY": "dow", "ISODOW": "isodow",
                    "WEEK": "week", "WEEKS": "week", "WEEKOFYEAR": "week"}.get(part)
            arg = node.expression
        elif isinstance(node, exp.Week) and node.args.get("mode") is not None:
            continue  # MySQL's week(d, mode): not DuckDB's
        else:
            kind = {exp.DayOfWeek: "dow", exp.DayOfWeekIso: "isodow"}.get(type(node), "week")
            arg = node.this
        if kind is None:
            continue
        if kind == "isodow":
            replacement: exp.Expression = exp.Paren(this=exp.Add(
                this=exp.Mod(this=exp.Paren(this=exp.Add(this=_date_part("dow", arg.copy()),
                                                         expression=exp.Literal.number(6))),
                             expression=exp.Literal.number(7)),
                expression=exp.Literal.number(1)))
            replacement.type = exp.DataType.build("INT")
        else:
            replacement = _date_part(kind, arg.copy())
        node.replace(replacement)
        ctx.note("date-parts", "weekday and week numbers as in the source (Redshift DATE_PART dow / ISO week, INT)")
    return tree


def redshift_date_trunc_is_timestamp(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Redshift's DATE_TRUNC returns a TIMESTAMP even for a DATE argument ("Return type: TIMESTAMP":
    docs.aws.amazon.com/redshift/latest/dg/r_DATE_TRUNC.html), where DuckDB (after `date_trunc_keeps_date`) and
    Trino return a DATE: a grouped month then prints as '2024-01-01 00:00:00' and compares unequal to a DATE key
    elsewhere. Cast the truncation of a DATE back to DATE. Runs after `date_trunc_keeps_date`."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.DateTrunc)):
        if isinstance(node.parent, exp.Cast) or not (is_date(node) or is_date(node.this)):
            continue
        cast = exp.cast(node.copy(), exp.DataType.build("DATE"))
        cast.type = exp.DataType.build("DATE")
        node.replace(cast)
        ctx.note("date-trunc", "Redshift DATE_TRUNC of a DATE is cast back to DATE (it returns a TIMESTAMP)")
    return tree


def native_integer_division(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `a // b` on integers truncates toward zero (-7 // 2 = -3). sqlglot writes Trino
    `CAST(TRUNCATE(CAST(a AS DOUBLE) / b) AS BIGINT)` and Redshift `CAST(TRUNC(... / b) AS BIGINT)`: through a
    DOUBLE, which loses integers above 2^53. Both engines' own `/` on integers already truncates toward zero
    (trino.io/docs/current/functions/math.html, "Mathematical operators": "integer division performs truncation";
    docs.aws.amazon.com/redshift/latest/dg/r_numeric_computations201.html, "Integer and decimal division"), so emit
    the typed `a / b`, exact. Runs after `integer_division` (non-integer `//` is DOUBLE division there)."""
    from sqlglot import exp

    from toolkit.sql.rules.arithmetic import EXACT_QUOTIENT
    from toolkit.sql.rules.base import is_integer

    for node in list(tree.find_all(exp.IntDiv)):
        if not (is_integer(node.this) and is_integer(node.expression)):
            continue
        div = exp.Div(this=node.this.copy(), expression=node.expression.copy(), typed=True, safe=False)
        div.meta[EXACT_QUOTIENT] = True  # no DOUBLE cast, no zero-division rewrite: b = 0 errors as in DuckDB
        div.type = exp.DataType.build("BIGINT")
        node.replace(div)
        ctx.note("integer-division", "a // b on integers -> the engine's truncating integer `/`, exact")
    return tree


def listagg_within_group(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `string_agg(x, sep [ORDER BY k])` becomes Trino/Redshift LISTAGG, whose order goes in `WITHIN GROUP
    (ORDER BY k)`: sqlglot leaves Trino's out when the source has no ORDER BY, though Trino requires it
    (trino.io/docs/current/functions/aggregate.html#listagg: `listagg(x, separator) WITHIN GROUP (ORDER BY ...)`),
    and writes Redshift's inside the call (`LISTAGG(x ORDER BY k, sep)`), which Redshift does not parse
    (docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html). Emit `LISTAGG(x, sep) WITHIN GROUP (ORDER BY k)`; with
    no ORDER BY in the source (DuckDB's order is then unspecified), order by the value itself, so the text is the
    same on every run. DISTINCT is Redshift's `LISTAGG(DISTINCT x, sep)`; refused on Athena, whose documentation
    does not give it for listagg."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.GroupConcat)):
        value = node.this
        order = None
        if isinstance(value, exp.Order):
            order, value = value, value.this
        distinct = isinstance(value, exp.Distinct)
        if distinct and (ctx.target == "athena" or len(value.expressions) != 1):
            raise ctx.refuse(node, "string_agg(DISTINCT ...) has no documented form on Athena",
                             "string_agg over a SELECT DISTINCT subquery")
        if distinct:
            value = value.expressions[0]
        keys = ([k.copy() for k in order.expressions] if order is not None
                else [exp.Ordered(this=value.copy(), desc=False, nulls_first=False)])
        separator = node.args.get("separator") or exp.Literal.string(",")
        argument = exp.Distinct(expressions=[value.copy()]) if distinct else value.copy()
        listagg = exp.WithinGroup(this=exp.Anonymous(this="LISTAGG", expressions=[argument, separator.copy()]),
                                  expression=exp.Order(expressions=keys))
        listagg.type = exp.DataType.build("VARCHAR")
        node.replace(listagg)
        ctx.note("listagg", "string_agg -> LISTAGG(x, sep) WITHIN GROUP (ORDER BY ...)")
    return tree


def redshift_concat_skips_nulls(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `concat(a, b)` skips NULL arguments ('x' for concat('x', NULL)); sqlglot writes Redshift `a || b`,
    which is NULL when either side is NULL, and Redshift's CONCAT takes two arguments and is NULL on a NULL too
    (docs.aws.amazon.com/redshift/latest/dg/r_CONCAT.html). Emit `COALESCE(CAST(a AS VARCHAR), '') || ...`.
    (`a || b` in the source keeps its NULL on both engines.)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Concat)):
        if not node.args.get("coalesce") or isinstance(node, exp.ConcatWs):  # CONCAT_WS: concat_ws_skips_nulls
            continue
        parts = [exp.Coalesce(this=exp.cast(arg.copy(), exp.DataType.build("VARCHAR")),
                              expressions=[exp.Literal.string("")]) for arg in node.expressions]
        joined: exp.Expression = parts[0]
        for part in parts[1:]:
            joined = exp.DPipe(this=joined, expression=part, safe=True)
        joined = exp.Paren(this=joined) if len(parts) > 1 else joined
        joined.type = exp.DataType.build("VARCHAR")
        node.replace(joined)
        ctx.note("concat", "concat() skips NULL arguments as in the source (COALESCE(..., '') ||)")
    return tree


def trino_group_by_alias(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB (and BigQuery, Snowflake, Redshift) let GROUP BY name a SELECT alias (`... AS month GROUP BY month`);
    Trino does not: GROUP BY takes input columns, expressions or ordinals ("GROUP BY clause":
    trino.io/docs/current/sql/select.html#group-by-clause), so Athena fails with "Column 'month' cannot be resolved".
    A GROUP BY name that is an alias and no input column (`column_over_alias` has qualified the shadowed ones) becomes
    the alias's position. Text contract: the DuckDB stand-in accepts aliases, so it cannot show the failure."""
    from sqlglot import exp

    from toolkit.sql.rules.shadowing import _source_of

    for select in list(tree.find_all(exp.Select)):
        group = select.args.get("group")
        if group is None:
            continue
        positions = {item.alias.lower(): index for index, item in enumerate(select.expressions, start=1)
                     if isinstance(item, exp.Alias)
                     and not (isinstance(item.this, exp.Column) and item.this.name.lower() == item.alias.lower())}
        for key in list(group.expressions):
            if not isinstance(key, exp.Column) or key.table or key.name.lower() not in positions:
                continue
            if _source_of(key, select, ctx) is not None:
                continue  # an input column of that name: Trino reads it as the column, as the source does
            key.replace(exp.Literal.number(positions[key.name.lower()]))
            ctx.note("group-by-alias", f"GROUP BY {key.name} (a SELECT alias) -> its position (Trino has no aliases "
                                       "in GROUP BY)")
    return tree
