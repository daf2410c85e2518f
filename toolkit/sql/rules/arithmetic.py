"""Arithmetic rules: what `/`, AVG, ROUND and casts to integer return on each engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, double, is_float, is_integer

if TYPE_CHECKING:
    from sqlglot import exp


def safe_division(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """SAFE_DIVIDE(x, y) is NULL when y = 0; Snowflake's DIV0 gives 0 instead (only DIV0NULL gives NULL), and
    sqlglot spells it as IFF/CASE. The portable form everywhere is `x / NULLIF(y, 0)`."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.SafeDivide)):
        divisor = exp.Nullif(this=node.expression.copy(), expression=exp.Literal.number(0))
        divisor.type = node.expression.type
        div = exp.Div(this=node.this.copy(), expression=divisor, typed=False, safe=False)
        node.replace(div)
        ctx.note("safe-division", "SAFE_DIVIDE(x, y) -> x / NULLIF(y, 0)")
    return tree


def float_division(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `/` always returns DOUBLE. BigQuery returns FLOAT64 for INT64 but NUMERIC for NUMERIC operands;
    Snowflake returns a fixed-point NUMBER (1/3 = 0.333333, scale max(s1, min(s1 + 6, 12))). Casting the
    dividend to DOUBLE (FLOAT64 / FLOAT) gives the source's floating-point result on every engine."""
    from sqlglot import exp

    for div in list(tree.find_all(exp.Div)):
        if is_float(div.this) or is_float(div.expression) or div.meta.get(EXACT_QUOTIENT):
            continue
        div.set("this", double(div.this.copy()))
        div.type = exp.DataType.build("DOUBLE")
        ctx.note("float-division", "x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)")
    return tree


EXACT_QUOTIENT = "fedkit_exact_quotient"  # meta key: a `/` whose dividend is a multiple of its divisor


def integer_division(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `a // b` truncates toward zero on integers (-7 // 2 = -3) and is plain DOUBLE division otherwise
    (7.5 // 2 = 3.75). sqlglot writes BigQuery DIV(a, b) (right for INT64, but NUMERIC DIV truncates 3.75 to 3)
    and Snowflake TRUNC(a / b), which rests on Snowflake's 6-decimal division: 999999999 / 1000000000 rounds to
    1.000000 (docs.snowflake.com/en/sql-reference/operators-arithmetic, Division). Integers: BigQuery DIV,
    Snowflake the exact `(a - MOD(a, b)) / b` (MOD keeps the dividend's sign, so this truncates toward zero, and
    the quotient is a whole number); anything else becomes `/` for the division rules. Runs before them."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.IntDiv)):
        a, b = node.this, node.expression
        if not (is_integer(a) and is_integer(b)):
            # the dividend in DOUBLE explicitly: sqlglot types a literal such as -3.10 as DOUBLE, which the decimal
            # literal rule then makes an exact NUMERIC, and NUMERIC / INT64 keeps 9 decimals (fuzz seed 1001)
            div = exp.Div(this=double(a.copy()), expression=b.copy(), typed=False, safe=False)
            div.type = exp.DataType.build("DOUBLE")
            node.replace(div)
            ctx.note("integer-division", "a // b on non-integers is DOUBLE division, as in DuckDB")
            continue
        if ctx.target != "snowflake":
            continue
        remainder = exp.Mod(this=a.copy(), expression=b.copy())
        whole = exp.Div(this=exp.Paren(this=exp.Sub(this=a.copy(), expression=remainder)), expression=b.copy(),
                        typed=False, safe=False)
        whole.meta[EXACT_QUOTIENT] = True  # a whole number: no DOUBLE cast; b = 0 errors, as `//` does in DuckDB
        cast = exp.cast(whole, exp.DataType.build("BIGINT"))
        cast.type = exp.DataType.build("BIGINT")
        node.replace(cast)
        ctx.note("integer-division", "a // b truncates toward zero exactly (no 6-decimal division)")
    return tree


def integer_division_as_float(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery source: INT64 / INT64 is FLOAT64, while Snowflake would keep 6 decimals; cast when both are integers."""
    from sqlglot import exp

    for div in list(tree.find_all(exp.Div)):
        if is_integer(div.this) and is_integer(div.expression):
            div.set("this", double(div.this.copy()))
            div.type = exp.DataType.build("DOUBLE")
            ctx.note("float-division", "INT / INT computes in DOUBLE as the source does")
    return tree


def avg_as_double(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB AVG returns DOUBLE for integers and decimals; BigQuery AVG(NUMERIC) is NUMERIC and Snowflake AVG of
    a NUMBER is a NUMBER with its own scale (AVG(1, 2) = 1.500000). Average in DOUBLE everywhere."""
    from sqlglot import exp

    for avg in list(tree.find_all(exp.Avg)):
        if is_float(avg.this) or isinstance(avg.this, exp.Distinct):
            continue
        avg.set("this", double(avg.this.copy()))
        avg.type = exp.DataType.build("DOUBLE")
        ctx.note("avg-double", "AVG computes in DOUBLE as the source does")
    return tree


def round_integer_type(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """ROUND(INT64) returns FLOAT64 on BigQuery (an integer elsewhere): cast the result back to an integer."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Round)):
        if not is_integer(node.this) or isinstance(node.parent, exp.Cast):
            continue
        cast = exp.cast(node.copy(), exp.DataType.build("BIGINT"))
        cast.type = exp.DataType.build("BIGINT")
        node.replace(cast)
        ctx.note("round-integer", "ROUND(integer) stays an integer (BigQuery returns FLOAT64)")
    return tree


def decimal_scale(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """CAST(x AS DECIMAL(p, s)) rounds to s decimals (a bare DECIMAL is DECIMAL(18, 3) in DuckDB), but sqlglot
    writes BigQuery `CAST(x AS NUMERIC)`, which keeps 9 decimals. Emit `ROUND(CAST(x AS NUMERIC), s)`, or
    BIGNUMERIC (38 decimals) when s exceeds NUMERIC's 9 (cloud.google.com/bigquery/docs/reference/standard-sql/
    data-types, "Decimal types")."""
    from sqlglot import exp

    for cast in list(tree.find_all(exp.Cast)):
        to = cast.args.get("to")
        if to is None or to.this != exp.DataType.Type.DECIMAL or len(to.expressions) != 2:
            continue
        scale = int(to.expressions[1].this.this)
        exact = cast.copy()
        if scale > 9:
            exact.set("to", exp.DataType.build("BIGNUMERIC", dialect="bigquery"))
        rounded = exp.Round(this=exact, decimals=exp.Literal.number(scale))
        rounded.type = to.copy()
        cast.replace(rounded)
        ctx.note("decimal-scale", f"CAST AS DECIMAL(_, {scale}) keeps {scale} decimals (BigQuery NUMERIC has 9, "
                                  "BIGNUMERIC 38)")
    return tree


_EXACT_INTEGER_VALUED = ("Round", "Floor", "Ceil")


def float_to_integer_rounds_half_away(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery CAST(x AS INT64) and Snowflake `x::INTEGER` (any integer type) of a floating-point value round to the
    nearest integer half away from zero (2.5 -> 3, -2.5 -> -3); DuckDB's CAST(DOUBLE AS INT) rounds half to even
    (2.5 -> 2), and fakesnow, standing in for Snowflake, does the same, so `SUM((discount_pct * 10)::INTEGER)` loses
    every .5. ROUND(x) of a double is half away from zero on DuckDB and Snowflake: emit CAST(ROUND(x) AS INT).
    (bigquery/docs/reference/standard-sql/conversion_functions#cast_as_int64; docs.snowflake.com/en/
    sql-reference-data-types: converting FLOAT to INTEGER "The value is rounded to the nearest integer";
    docs.snowflake.com/en/sql-reference/functions/round: HALF_AWAY_FROM_ZERO)"""
    from sqlglot import exp

    for cast in list(tree.find_all(exp.Cast, exp.TryCast)):
        to = cast.args.get("to")
        operand = cast.this
        while isinstance(operand, exp.Paren):  # `(x * 10)::INTEGER`: the parentheses carry no type
            operand = operand.this
        if to is None or to.this not in exp.DataType.INTEGER_TYPES or not is_float(operand):
            continue
        if isinstance(operand, (exp.Round, exp.Floor, exp.Ceil)):
            continue
        rounded = exp.Round(this=operand.copy())
        rounded.type = operand.type
        cast.set("this", rounded)
        ctx.note("float-to-int", f"CAST(float AS integer) rounds half away from zero, as on {ctx.source}")
    return tree


def float_to_int_cast(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """CAST(2.5 AS INT) from a DOUBLE rounds half to even in DuckDB (2) but half away from zero on BigQuery (3):
    refuse it unless the value is already integral (ROUND/FLOOR/CEIL)."""
    from sqlglot import exp

    for cast in tree.find_all(exp.Cast):
        target = cast.args.get("to")
        if target is None or target.this not in exp.DataType.INTEGER_TYPES:
            continue
        if is_float(cast.this) and not _integral(cast.this):
            raise ctx.refuse(
                cast,
                "CAST of a floating-point value to an integer rounds differently (half-even in DuckDB, half away "
                "from zero on BigQuery)",
                "CAST(ROUND(x) AS BIGINT), CAST(FLOOR(x) AS BIGINT) or CAST(CEIL(x) AS BIGINT)",
            )
    return tree


def _integral(node: "exp.Expression") -> bool:
    """ROUND(x), ROUND(x, 0 or fewer), FLOOR, CEIL: whole numbers; ROUND(x, 2) is not (fuzzer find:
    CAST(ROUND(0.5, 2) AS INT) is 0 on DuckDB, 1 on BigQuery)."""
    if type(node).__name__ not in _EXACT_INTEGER_VALUED:
        return False
    decimals = node.args.get("decimals")
    try:
        return decimals is None or int(decimals.sql()) <= 0
    except ValueError:
        return False


def _never_zero(divisor: "exp.Expression") -> bool:
    """True when `divisor` cannot be 0: NULLIF(y, 0), a non-zero literal, or COUNT(*) of a grouped SELECT."""
    from sqlglot import exp

    while isinstance(divisor, (exp.Paren, exp.Cast, exp.Neg)):
        divisor = divisor.this
    if isinstance(divisor, exp.Nullif):
        zero = divisor.expression
        return isinstance(zero, exp.Literal) and not zero.is_string and float(zero.this) == 0
    if isinstance(divisor, exp.Literal) and not divisor.is_string:
        return float(divisor.this) != 0
    if isinstance(divisor, exp.Count) and isinstance(divisor.this, exp.Star) and not isinstance(
            divisor.parent, exp.Window):
        select = divisor.find_ancestor(exp.Select)
        return select is not None and bool(select.args.get("group"))
    return False


def _not_a_number(divisor: "exp.Expression") -> bool:
    from sqlglot import exp

    if isinstance(divisor, exp.Literal) and divisor.is_string:
        return True
    kind = getattr(divisor, "type", None)
    return kind is not None and kind.this in exp.DataType.TEXT_TYPES


def zero_division_ieee(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB (2.0, measured) divides by zero the IEEE way for integers, decimals and doubles alike: 1 / 0 = inf,
    -1 / 0 = -inf, 0 / 0 = NaN, NULL / 0 = NULL; BigQuery and Snowflake raise "division by zero". Rewriting to
    `x / NULLIF(y, 0)` would give NULL, which is not what the source says, so keep DuckDB's answer: BigQuery
    `IEEE_DIVIDE(x, y)` (exactly these semantics), Snowflake `CASE WHEN y = 0 THEN x * CAST('inf' AS DOUBLE) ELSE
    x / y END` (IEEE float arithmetic: x * inf is inf, -inf or NaN; a divisor of -0.0 gives +inf, not -inf).
    Divisions that cannot hit zero (NULLIF(y, 0), non-zero literals, COUNT(*) per group) stay plain; write
    `x / NULLIF(y, 0)` in the KPI when NULL is what you mean. Runs after `float_division` (x is a DOUBLE)."""
    from sqlglot import exp

    for div in list(tree.find_all(exp.Div)):
        if div.meta.get(EXACT_QUOTIENT) or _never_zero(div.expression) or _not_a_number(div.expression):
            continue  # a text divisor is a type error: leave `/` so the engine's message names the operator
        x, y = div.this.copy(), div.expression.copy()
        if ctx.target == "bigquery":
            replacement: exp.Expression = exp.Anonymous(this="IEEE_DIVIDE", expressions=[x, y])
        else:
            infinity = exp.cast(exp.Literal.string("inf"), exp.DataType.build("DOUBLE"))
            replacement = exp.Case(
                ifs=[exp.If(this=exp.EQ(this=y.copy(), expression=exp.Literal.number(0)),
                            true=exp.Mul(this=x.copy(), expression=infinity))],
                default=exp.Div(this=x, expression=y, typed=False, safe=False),
            )
        replacement.type = exp.DataType.build("DOUBLE")
        div.replace(replacement)
        ctx.note("zero-division", "x / y that may divide by zero keeps DuckDB's IEEE result (inf, -inf, NaN) "
                                  "instead of an error")
    return tree
