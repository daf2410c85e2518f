"""Exact medians and quantiles: DuckDB `median(x)`, `quantile_cont(x, f)` and `percentile_cont(f) WITHIN GROUP
(ORDER BY x)` compiled to each engine's exact native form, with DuckDB's result type.

DuckDB 2.0 (measured): the median of a DECIMAL(p, s) is a DECIMAL(p, s), the interpolated value truncated toward
zero to s decimals (median of 1.25 and 2.50 is 1.87, of -1.25 and -2.50 is -1.87); of an integer or a float it is
a DOUBLE. Snowflake MEDIAN / PERCENTILE_CONT return a NUMBER with 3 more decimals for fixed-point input
(docs.snowflake.com/en/sql-reference/functions/median: MEDIAN(1, 3, 10, 1, 3) is 3.000). BigQuery has
PERCENTILE_CONT only as an analytic function (cloud.google.com/bigquery/docs/reference/standard-sql/
navigation_functions#percentile_cont): NUMERIC when the value and the fraction are NUMERIC, else FLOAT64.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_float, is_integer, is_known

if TYPE_CHECKING:
    from sqlglot import exp

ROWS_ALIAS = "_fedkit_rows"  # the derived table a folded query reads its rows from
NUMERIC_SCALE = 9  # BigQuery NUMERIC's decimals; a larger scale needs BIGNUMERIC


@dataclass
class Quantile:
    node: "exp.Expression"  # what the result replaces (the function, or its WITHIN GROUP)
    value: "exp.Expression"
    fraction: Decimal  # from the lowest value up
    discrete: bool = False  # quantile_disc / quantile / percentile_disc: a value of the group, its own type
    descending: bool = False  # WITHIN GROUP (ORDER BY x DESC); `fraction` is already turned for a continuous one


def _fraction(node: "exp.Expression", ctx: RuleContext) -> Decimal:
    from sqlglot import exp

    literal = node
    sign = 1
    if isinstance(literal, exp.Neg):
        literal, sign = literal.this, -1
    if not isinstance(literal, exp.Literal) or literal.is_string:
        raise ctx.refuse(node, "a quantile's fraction must be one number literal between 0 and 1",
                         "one quantile_cont(x, f) per fraction, f a literal such as 0.25")
    value = sign * Decimal(str(literal.this))
    if not 0 <= value <= 1:
        raise ctx.refuse(node, f"the quantile fraction {value} is outside [0, 1]", "a fraction between 0 and 1")
    return value


def find_quantiles(tree: "exp.Expression", ctx: RuleContext) -> list[Quantile]:
    """Every median/quantile in `tree`, normalised to (value, fraction); what has no exact form is refused."""
    from sqlglot import exp

    found: list[Quantile] = []
    for node in list(tree.find_all(exp.Median, exp.PercentileCont, exp.PercentileDisc, exp.Quantile)):
        discrete = isinstance(node, (exp.PercentileDisc, exp.Quantile))
        if isinstance(node.parent, exp.WithinGroup):
            order = node.parent.expression.expressions
            if len(order) != 1:
                raise ctx.refuse(node, f"{node.sql_name()} orders by exactly one value", "WITHIN GROUP (ORDER BY x)")
            fraction, descending = _fraction(node.this, ctx), bool(order[0].args.get("desc"))
            turned = 1 - fraction if descending and not discrete else fraction
            found.append(Quantile(node.parent, order[0].this, turned, discrete, descending))
            continue
        if isinstance(node.this, exp.Distinct):
            raise ctx.refuse(node, f"{node.sql_name()} of DISTINCT values has no exact form on {ctx.target}",
                             "the quantile over a subquery that selects the DISTINCT values first")
        if isinstance(node, exp.Median):
            fraction = Decimal("0.5")
        else:
            fraction = _fraction(node.args.get("quantile") or node.expression, ctx)
        found.append(Quantile(node, node.this, fraction, discrete))
    for quantile in found:
        if isinstance(quantile.node.parent, exp.Filter):
            _filter_into_value(quantile)
        if not quantile.discrete:
            _decimal_scale(quantile.value, ctx)  # refuses a decimal whose scale is not known
    return found


def _filter_into_value(quantile: Quantile) -> None:
    """`median(x) FILTER (WHERE c)` is `median(CASE WHEN c THEN x END)`: quantiles skip NULLs, and neither
    Snowflake nor BigQuery takes FILTER."""
    from sqlglot import exp

    where = quantile.node.parent
    condition = where.expression.this
    case = exp.Case(ifs=[exp.If(this=condition.copy(), true=quantile.value.copy())])
    case.type = quantile.value.type
    quantile.value.replace(case)
    quantile.value = case
    where.replace(quantile.node)


def _scale_kept(value: "exp.Expression") -> bool:
    """True when sqlglot's DECIMAL scale for `value` is DuckDB's: a column, a cast, SUM/MIN/MAX of one, a CASE
    of those without ELSE (see _SCALE_KEEPING)."""
    from sqlglot import exp

    while isinstance(value, exp.Paren):
        value = value.this
    if isinstance(value, exp.Case):
        return value.args.get("default") is None and all(_scale_kept(branch.args["true"])
                                                         for branch in value.args.get("ifs") or [])
    return type(value).__name__ in _SCALE_KEEPING


# Values whose DECIMAL scale sqlglot's annotator gets right (it keeps one operand's scale for `a * b`, where DuckDB
# adds them): a column, a cast, and the aggregates that keep their argument's scale; ROUND, CEIL and FLOOR as
# duckdb_types.type_duckdb_functions types them.
_SCALE_KEEPING = ("Column", "Cast", "Sum", "Min", "Max", "Round", "Ceil", "Floor")


def _decimal_scale(value: "exp.Expression", ctx: RuleContext) -> tuple[int, int] | None:
    """(38, scale) of a DECIMAL value, None for other types. The result is cast to 38 digits (Snowflake NUMBER's
    and DuckDB SUM's precision): a narrower one could overflow on a value sqlglot typed too narrowly."""
    from sqlglot import exp

    data_type = getattr(value, "type", None)
    if data_type is None or data_type.this != exp.DataType.Type.DECIMAL:
        return None
    params = data_type.expressions
    if len(params) != 2 or not _scale_kept(value):
        raise ctx.refuse(value, "the median/quantile of a decimal expression keeps a scale fedkit cannot tell",
                         "median(CAST(expression AS DECIMAL(38, s))) or median(CAST(expression AS DOUBLE))")
    return 38, int(params[1].this.this)


def _typed(node: "exp.Expression", text: str) -> "exp.Expression":
    from sqlglot import exp

    node.type = exp.DataType.build(text)
    return node


def _truncated(value: "exp.Expression", scale: int) -> "exp.Expression":
    from sqlglot import exp

    return exp.Trunc(this=value, decimals=exp.Literal.number(scale))


def snowflake_quantile_type(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake MEDIAN / PERCENTILE_CONT of a NUMBER keep 3 more decimals and no truncation (the median of 1.25
    and 2.50 is 1.875; DuckDB says 1.87 as a DECIMAL(12, 2)); of an integer they return a NUMBER, DuckDB a DOUBLE.
    Integers and floats: the quantile of CAST(x AS DOUBLE). Decimals: CAST(TRUNC(q, s) AS DECIMAL(p, s))."""
    from sqlglot import exp

    for quantile in find_quantiles(tree, ctx):
        if quantile.discrete:  # a value of the group, in its own type; DuckDB's quantile() is PERCENTILE_DISC
            if isinstance(quantile.node, exp.Quantile):
                quantile.node.replace(exp.PercentileDisc(this=quantile.value.copy(),
                                                         expression=exp.Literal.number(str(quantile.fraction))))
                ctx.note("quantile-disc", "quantile(x, f) -> PERCENTILE_DISC(f) WITHIN GROUP (ORDER BY x)")
            continue
        target = quantile.node.parent if isinstance(quantile.node.parent, exp.Window) else quantile.node
        scale = _decimal_scale(quantile.value, ctx)
        if scale is None:
            if is_integer(quantile.value):
                quantile.value.replace(_typed(exp.cast(quantile.value.copy(), "DOUBLE"), "DOUBLE"))
                ctx.note("quantile-type", "median/quantile of an integer is a DOUBLE, as in DuckDB")
            continue
        precision, digits = scale
        result = exp.cast(_truncated(target.copy(), digits), f"DECIMAL({precision}, {digits})")
        target.replace(_typed(result, f"DECIMAL({precision}, {digits})"))
        ctx.note("quantile-type", f"median/quantile of a DECIMAL keeps its {digits} decimals, truncated as DuckDB does")
    return tree


def _window_value(quantile: Quantile, partition: list["exp.Expression"], ctx: RuleContext) -> "exp.Expression":
    """PERCENTILE_CONT(x, f) OVER (PARTITION BY keys), in NUMERIC for decimals (exact), FLOAT64 otherwise;
    PERCENTILE_DISC(x, f) OVER (...) for a discrete quantile (a value of the group, its own type)."""
    from sqlglot import exp

    value = quantile.value.copy()
    if quantile.discrete:
        window = exp.Window(this=exp.PercentileDisc(this=value, expression=exp.Literal.number(str(quantile.fraction))),
                            partition_by=[key.copy() for key in partition], over="OVER")
        window.type = quantile.value.type
        return window
    scale = _decimal_scale(quantile.value, ctx)
    if scale is None:
        fraction: exp.Expression = exp.Literal.number(str(quantile.fraction))
        if not is_float(quantile.value):
            value = _typed(exp.cast(value, "DOUBLE"), "DOUBLE")
    else:
        kind = "NUMERIC" if scale[1] <= NUMERIC_SCALE else "BIGNUMERIC"
        fraction = exp.cast(exp.Literal.string(str(quantile.fraction)), exp.DataType.build(kind, dialect="bigquery"))
    window: exp.Expression = exp.Window(
        this=exp.PercentileCont(this=value, expression=fraction),
        partition_by=[key.copy() for key in partition], over="OVER")
    if scale is None:
        return _typed(window, "DOUBLE")
    if ctx.source == "duckdb":  # DuckDB truncates to the input's scale; a Snowflake source keeps the exact value
        window = _truncated(window, scale[1])
    return _typed(window, f"DECIMAL({scale[0]}, {scale[1]})")


def _group_keys(select: "exp.Select", ctx: RuleContext, quantile: "exp.Expression") -> list["exp.Expression"]:
    """The GROUP BY expressions with positions and select aliases resolved (the window partitions by them)."""
    from sqlglot import exp

    group = select.args.get("group")
    if group is None:
        return []
    if any(group.args.get(kind) for kind in ("rollup", "cube", "grouping_sets")) or group.find(
            exp.Rollup, exp.Cube, exp.GroupingSets):
        raise ctx.refuse(quantile, "a quantile with ROLLUP, CUBE or GROUPING SETS cannot be folded",
                         "one query per grouping, combined with UNION ALL")
    aliases = {s.alias.lower(): s.this for s in select.expressions if isinstance(s, exp.Alias)}
    keys = []
    for key in group.expressions:
        if isinstance(key, exp.Literal) and key.is_int:
            chosen = select.expressions[int(key.this) - 1]
            keys.append(chosen.this if isinstance(chosen, exp.Alias) else chosen)
        elif isinstance(key, exp.Column) and not key.table and key.name.lower() in aliases and not is_known(key):
            keys.append(aliases[key.name.lower()])
        else:
            keys.append(key)
    return keys


def _outer_columns(select: "exp.Select", aliases: set[str], skip: list["exp.Expression"]) -> list["exp.Column"]:
    """Columns the grouped query itself reads (not its FROM/WHERE, not subqueries, not select-alias references,
    not inside the quantiles in `skip`, which move into the derived table)."""
    from sqlglot import exp

    skipped = {id(node) for node in skip}
    sources = _source_names(select)
    columns = []
    for part in ("expressions", "group", "having", "order", "qualify"):
        for root in _as_list(select.args.get(part) or []):
            for column in root.find_all(exp.Column):
                if _inside(column, skipped):
                    continue
                if column.find_ancestor(exp.Select) is not select and not _correlated(column, select, sources):
                    continue
                alias = part != "expressions" and not column.table and column.name.lower() in aliases
                if alias and (part != "group" or not is_known(column)):
                    continue  # a select alias; in GROUP BY a source column (typed from the catalog) wins
                columns.append(column)
    return columns


def _source_names(select: "exp.Select") -> set[str]:
    """The names a select's FROM and joins give their tables (aliases, else table names), lower case."""
    from sqlglot import exp

    names = set()
    for part in ("from_", "from", "joins"):
        for node in _as_list(select.args.get(part) or []):
            table = node.this if isinstance(node, (exp.From, exp.Join)) else node
            if isinstance(table, (exp.Table, exp.Subquery)) and table.alias_or_name:
                names.add(table.alias_or_name.lower())
    return names


def _correlated(column: "exp.Column", select: "exp.Select", sources: set[str]) -> bool:
    """A column of a subquery inside `select` that reads one of `select`'s own tables (a correlated reference):
    it moves into the derived table with the rest of the row (found by the widened fuzzer: the folded query lost
    `t0` under a correlated scalar subquery, "Unrecognized name: t0")."""
    from sqlglot import exp

    name = column.table.lower()
    if not name or name not in sources:
        return False
    scope = column.find_ancestor(exp.Select)
    while scope is not None and scope is not select:
        if name in _source_names(scope):
            return False  # the subquery's own table of that name
        scope = scope.find_ancestor(exp.Select)
    return scope is select


def _inside(node: "exp.Expression", ids: set[int]) -> bool:
    while node is not None:
        if id(node) in ids:
            return True
        node = node.parent
    return False


def _as_list(value):
    return value if isinstance(value, list) else [value]


def fold_quantiles_to_windows(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery has no MEDIAN and no aggregate PERCENTILE_CONT, only `PERCENTILE_CONT(x, f) OVER (PARTITION BY
    ...)`: a grouped query with quantiles reads its rows (FROM, joins, WHERE) from a derived table that adds
    `PERCENTILE_CONT(x, f) OVER (PARTITION BY <group keys>)` per quantile, and takes MAX of it per group (the
    same value on every row of the group); the other aggregates, HAVING and ORDER BY read the same rows. In a
    window, `median(x) OVER (PARTITION BY ...)` becomes PERCENTILE_CONT there. Decimals compute in NUMERIC
    (exact) and are truncated to the input's scale, as DuckDB does."""
    from sqlglot import exp

    quantiles = find_quantiles(tree, ctx)
    by_select: dict[int, tuple["exp.Select", list[Quantile]]] = {}
    for quantile in quantiles:
        if quantile.discrete and quantile.descending:
            raise ctx.refuse(quantile.node, "PERCENTILE_DISC over a descending order has no BigQuery form",
                             "PERCENTILE_DISC(f) WITHIN GROUP (ORDER BY x) in ascending order")
        window = quantile.node.parent if isinstance(quantile.node.parent, exp.Window) else None
        if window is not None:
            if window.args.get("order") or window.args.get("spec"):
                raise ctx.refuse(quantile.node, "a quantile over an ordered or framed window has no BigQuery form",
                                 "PARTITION BY only: median(x) OVER (PARTITION BY g)")
            replacement = _window_value(quantile, list(window.args.get("partition_by") or []), ctx)
            window.replace(replacement)
            ctx.note("quantile-window", "median/quantile -> PERCENTILE_CONT(x, f) OVER (...)")
            continue
        select = quantile.node.find_ancestor(exp.Select)
        if select is None or select.args.get("from_") is None and select.args.get("from") is None:
            raise ctx.refuse(quantile.node, "a quantile needs a FROM clause to be folded", "SELECT ... FROM t")
        by_select.setdefault(id(select), (select, []))[1].append(quantile)
    # innermost first: a folded outer query moves its FROM (and any inner query) into the derived table as is
    for select, found in sorted(by_select.values(), key=lambda item: -_depth(item[0])):
        _fold(select, found, ctx)
    return tree


def _depth(node: "exp.Expression") -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def _fold(select: "exp.Select", found: list[Quantile], ctx: RuleContext) -> None:
    from sqlglot import exp

    if any(isinstance(s, exp.Star) or (isinstance(s, exp.Column) and s.is_star) for s in select.expressions):
        raise ctx.refuse(found[0].node, "a quantile next to SELECT * cannot be folded", "name the columns")
    from_key = "from_" if "from_" in select.args else "from"
    keys = _group_keys(select, ctx, found[0].node)
    rows: list[exp.Expression] = [exp.alias_(_window_value(q, keys, ctx), f"_q{n}") for n, q in
                                  enumerate(found, start=1)]
    for item in list(select.expressions):
        if isinstance(item, exp.Column):  # keeps its output name once it reads `_cN`
            item.replace(exp.alias_(item.copy(), item.output_name))
    aliases = {s.alias.lower() for s in select.expressions if isinstance(s, exp.Alias)}
    outer = _outer_columns(select, aliases, [q.node for q in found])
    for number, quantile in enumerate(found, start=1):
        aggregate = exp.Max(this=exp.column(f"_q{number}"))
        aggregate.type = rows[number - 1].this.type
        quantile.node.replace(aggregate)
    names: dict[str, str] = {}
    for column in outer:
        text = column.sql()
        if text not in names:
            names[text] = f"_c{len(names) + 1}"
            rows.append(exp.alias_(column.copy(), names[text]))
        nested = column.find_ancestor(exp.Select) is not select  # correlated: name the derived table
        renamed = exp.column(names[text], table=ROWS_ALIAS if nested else None)
        renamed.type = column.type
        column.replace(renamed)
    inner = exp.Select(expressions=rows)
    inner.set(from_key, select.args[from_key])
    for part in ("joins", "where", "laterals"):
        if select.args.get(part):
            inner.set(part, select.args[part])
            select.set(part, None)
    select.set(from_key, exp.From(this=exp.Subquery(this=inner, alias=exp.TableAlias(
        this=exp.to_identifier(ROWS_ALIAS)))))
    ctx.note("quantile-fold", "median/quantile -> MAX(PERCENTILE_CONT(x, f) OVER (PARTITION BY the group keys)) "
                              "over the same rows")
