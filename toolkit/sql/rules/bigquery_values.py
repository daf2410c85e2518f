"""Rules for a BigQuery source found by writing KPIs as a BigQuery team does (tests/corpus/bigquery_hunt): the type
or the numbering of a value BigQuery computes, which sqlglot's DuckDB and Snowflake text computes differently.

Each rule's docstring names the BigQuery documentation page it models; ZetaSQL's reference evaluator is the oracle
(tests/unit/sql/test_rules_bigquery_values.py shows each wrong answer without the rule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, _type, double, is_date

if TYPE_CHECKING:
    from sqlglot import exp

_CALENDAR_UNITS = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")


def _typed(node: "exp.Expression", kind: str) -> "exp.Expression":
    from sqlglot import exp

    node.type = exp.DataType.build(kind)
    return node


def float_literals_are_double(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """A BigQuery number literal with a decimal point or an exponent (`0.1`, `1e3`) is a FLOAT64; DuckDB and
    Snowflake read it as an exact decimal (DECIMAL(2,1), NUMBER(2,1)), so `UNNEST([0.0, 0.1])`, `amount * 1.1` or
    `IF(c, 0.5, 1)` come back as decimals where BigQuery returns FLOAT64 (a type a downstream consumer sees), and
    `0.1 + 0.2 = 0.3` is true there, false on BigQuery. Spell each such literal CAST(0.1 AS DOUBLE). Left alone: a
    literal a CAST types (`CAST(0.1 AS NUMERIC)`), and one beside a NUMERIC operand (`amount * 1.5`, `IF(c, amount,
    0.5)`), which BigQuery coerces to NUMERIC (literal coercion), as DuckDB and Snowflake read it; and the fraction
    of PERCENTILE_CONT / PERCENTILE_DISC, a parameter that Snowflake wants as a plain constant.
    (bigquery/docs/reference/standard-sql/lexical#floating_point_literals)"""
    from sqlglot import exp

    parameter_functions = _parameter_functions()
    for node in list(tree.find_all(exp.Literal)):
        if node.is_string or not any(mark in node.this.lower() for mark in (".", "e")):
            continue
        operand = node.parent if isinstance(node.parent, exp.Neg) else node
        holder = operand.parent
        if isinstance(holder, (exp.Cast, exp.TryCast, *parameter_functions)) or _beside_numeric(operand):
            continue
        node.replace(double(node.copy()))
        ctx.note("float-literal", "a literal with a decimal point is a FLOAT64 as on BigQuery")
    return tree


def _parameter_functions() -> tuple[type, ...]:
    from sqlglot import exp

    return (exp.PercentileCont, exp.PercentileDisc)


def _beside_numeric(operand: "exp.Expression") -> bool:
    """Whether an operator, function or CASE that `operand` is an argument of also takes a NUMERIC argument."""
    from sqlglot import exp

    holder = operand.parent
    if isinstance(holder, exp.If) and isinstance(holder.parent, exp.Case):
        holder = holder.parent
    if holder is None:
        return False
    siblings = [*holder.iter_expressions()]
    if isinstance(holder, exp.Case):
        siblings = [branch.args.get("true") for branch in holder.args.get("ifs") or []] + [holder.args.get("default")]
    return any(s is not None and s is not operand and _type(s) == exp.DataType.Type.DECIMAL for s in siblings)


def unix_epoch_truncates(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery UNIX_SECONDS / UNIX_MILLIS drop the finer digits ("rounding down to the beginning of the second":
    12:00:07.6 is second 7). sqlglot writes DuckDB CAST(EPOCH(ts) AS BIGINT) and EPOCH_MS(ts), which round (second 8),
    and copies UNIX_MILLIS / UNIX_MICROS to Snowflake, which has neither function. Count the unit's boundaries
    crossed since the epoch (DATE_DIFF / DATEDIFF), which is the floor on both engines and, unlike DuckDB's EPOCH_MS
    (read back by sqlglot as its inverse, a timestamp), keeps its meaning when the DuckDB text is carried on to
    Athena and Redshift.
    (bigquery/docs/reference/standard-sql/timestamp_functions#unix_seconds, #unix_millis;
    docs.snowflake.com/en/sql-reference/functions/datediff; duckdb.org/docs/stable/sql/functions/timestamptz)"""
    from sqlglot import exp

    units = {exp.UnixSeconds: "SECOND", exp.UnixMillis: "MILLISECOND", exp.UnixMicros: "MICROSECOND"}
    for node in list(tree.find_all(exp.UnixSeconds, exp.UnixMillis, exp.UnixMicros)):
        unit = units[type(node)]
        epoch = exp.cast(exp.Literal.string("1970-01-01 00:00:00+00"), exp.DataType.build("TIMESTAMPTZ"))
        value = exp.DateDiff(this=node.this.copy(), expression=epoch, unit=exp.var(unit))
        node.replace(_typed(value, "BIGINT"))
        ctx.note("unix-epoch", f"UNIX_{unit}S counts whole {unit.lower()}s since the epoch as on BigQuery")
    return tree


def date_arithmetic_stays_date(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery DATE_ADD / DATE_SUB of a DATE by days, weeks, months, quarters or years is a DATE, and so is
    DATE_FROM_UNIX_DATE; sqlglot writes DuckDB `d + INTERVAL '30' DAY`, which is a TIMESTAMP (2024-03-01 00:00:00):
    the same day, but a DATE column became a TIMESTAMP for every consumer. Cast the sum back to DATE.
    (bigquery/docs/reference/standard-sql/date_functions#date_add, #date_from_unix_date)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.DateAdd, exp.DateSub, exp.DateFromUnixDate)):
        if isinstance(node.parent, exp.Cast):
            continue
        if not isinstance(node, exp.DateFromUnixDate):
            unit = node.args.get("unit")
            if not is_date(node.this) or unit is None or unit.name.upper() not in _CALENDAR_UNITS:
                continue
        node.replace(_typed(exp.cast(node.copy(), exp.DataType.build("DATE")), "DATE"))
        ctx.note("date-arithmetic", "DATE_ADD/DATE_SUB of a DATE stays a DATE as on BigQuery")
    return tree


def avg_of_numeric_is_numeric(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery AVG(NUMERIC) is a NUMERIC (9 decimals: 104.465000000); DuckDB's AVG of a DECIMAL is a DOUBLE, and
    Snowflake's keeps the input's scale plus a few digits (AVG of NUMBER(12, 2) has 8 decimals, not 9). Average in
    DOUBLE and round to NUMERIC's 9 decimals, as `numeric_division_scale` does for `/` (exact while the average has
    at most 15 significant digits). A window AVG is rounded around its OVER clause.
    (bigquery/docs/reference/standard-sql/aggregate_functions#avg, returned data types)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Avg)):
        operand = node.this
        if isinstance(operand, exp.Distinct) or _type(operand) != exp.DataType.Type.DECIMAL:
            continue
        node.set("this", double(operand.copy()))
        outer = node.parent if isinstance(node.parent, exp.Window) and node.parent.this is node else node
        rounded = exp.Round(this=outer.copy(), decimals=exp.Literal.number(9))
        outer.replace(_typed(exp.cast(rounded, exp.DataType.build("DECIMAL(38, 9)")), "DECIMAL(38, 9)"))
        ctx.note("avg-numeric", "AVG(NUMERIC) is a NUMERIC with 9 decimals as on BigQuery")
    return tree


def _unnest_scope(unnest: "exp.Unnest") -> "exp.Select | None":
    from sqlglot import exp

    select = unnest.find_ancestor(exp.Select)
    return select if isinstance(select, exp.Select) else None


def _column_uses(select: "exp.Select", name: str) -> list["exp.Column"]:
    """Unqualified references to `name` in `select` (and its subqueries: a correlated use means the same column)."""
    from sqlglot import exp

    return [col for col in select.find_all(exp.Column)
            if not col.table and col.name.lower() == name.lower() and not isinstance(col.parent, exp.Unnest)]


def _replace_use(col: "exp.Column", replacement: "exp.Expression") -> None:
    """Replace a column reference; a bare projection keeps its output name."""
    from sqlglot import exp

    if isinstance(col.parent, exp.Select) and col.arg_key == "expressions":
        col.replace(exp.alias_(replacement, col.name))
    else:
        col.replace(replacement)


def unnest_offset_from_zero(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery `UNNEST(arr) AS x WITH OFFSET AS pos` numbers elements from 0; sqlglot writes DuckDB `WITH
    ORDINALITY`, which numbers from 1, so `WHERE pos < 2` keeps three words instead of two and every reported offset
    is one too high. Read the ordinality column minus one. (Snowflake's FLATTEN `index` counts from 0 already.)
    (bigquery/docs/reference/standard-sql/query-syntax#unnest_operator)"""
    from sqlglot import exp

    if ctx.target != "duckdb":
        return tree
    for unnest in list(tree.find_all(exp.Unnest)):
        offset = unnest.args.get("offset")
        select = _unnest_scope(unnest)
        if not isinstance(offset, exp.Identifier) or select is None:
            continue
        for col in _column_uses(select, offset.name):
            from_zero = exp.Paren(this=exp.Sub(this=col.copy(), expression=exp.Literal.number(1)))
            _replace_use(col, _typed(from_zero, "BIGINT"))
        ctx.note("unnest-offset", "UNNEST ... WITH OFFSET counts from 0 as on BigQuery")
    return tree


def unnest_values_typed(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery `UNNEST(SPLIT(name, ' ')) AS word` yields STRING values (`UNNEST([0.1, 0.2])` FLOAT64 ones); sqlglot
    writes Snowflake TABLE(FLATTEN(...)), whose value column is a VARIANT: words print as JSON ("Velo" with its
    quotes) and group and compare as VARIANTs. Cast each use of FLATTEN's VALUE to the array's element type.
    (bigquery/docs/reference/standard-sql/query-syntax#unnest_operator;
    docs.snowflake.com/en/sql-reference/functions/flatten: VALUE is "the value of the element")"""
    from sqlglot import exp

    if ctx.target != "snowflake":
        return tree
    for unnest in list(tree.find_all(exp.Unnest)):
        alias = unnest.args.get("alias")
        names = alias.columns if isinstance(alias, exp.TableAlias) else []
        select = _unnest_scope(unnest)
        element = _element_type(unnest.expressions[0]) if len(unnest.expressions) == 1 else None
        if len(names) != 1 or select is None or element is None:
            continue
        # FLATTEN's own column name, qualified: fakesnow reads only a column named VALUE as the element (a renamed
        # one casts to text with its JSON quotes), and on Snowflake the two spellings mean the same
        table = exp.to_identifier(f"_unnest_{names[0].name.lower()}")
        alias.set("this", table)
        alias.set("columns", [exp.to_identifier("value")])
        for col in _column_uses(select, names[0].name):
            value = exp.column("value", table=table.copy())
            _replace_use(col, _typed(exp.cast(value, element), element.sql()))
        ctx.note("unnest-values", f"UNNEST values are {element.sql(dialect='snowflake')}, not VARIANTs, on Snowflake")
    return tree


def _element_type(array: "exp.Expression") -> "exp.DataType | None":
    from sqlglot import exp

    if isinstance(array, exp.Split):
        return exp.DataType.build("VARCHAR")
    kind = getattr(array, "type", None)
    if kind is None or kind.this != exp.DataType.Type.ARRAY or not kind.expressions:
        return None
    inner = kind.expressions[0]
    if inner.this in exp.DataType.INTEGER_TYPES:
        return exp.DataType.build("BIGINT")
    if inner.this in (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT):
        return exp.DataType.build("DOUBLE")
    if inner.this in exp.DataType.TEXT_TYPES:
        return exp.DataType.build("VARCHAR")
    if inner.this in (exp.DataType.Type.DATE, exp.DataType.Type.BOOLEAN):
        return exp.DataType.build(inner.this.value)
    return None
