"""DuckDB functions that sqlglot copies to BigQuery and Snowflake unchanged (or nearly), where those engines lack them
or give them another meaning (their types: duckdb_types.py; grouping and set operations: groups.py). Found by the
widened differential fuzzer (issue 13 item 6); each rule's minimal query is in
tests/integration/fuzz/test_fuzz_widened_regressions.py and runs on ZetaSQL there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp


def concat_casts_to_text(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `concat(name, birth_year, d)` casts every non-text argument to text ('Ann1990'); BigQuery CONCAT takes
    only STRING (or only BYTES) arguments (cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#
    concat), and sqlglot's NULL-safe form `COALESCE(birth_year, '')` fails there too ("No matching signature for
    function COALESCE; Argument types: INT64, STRING"); on Snowflake `COALESCE(quantity, '')` reads '' as a number.
    Cast every non-text argument to text first: integers, dates and booleans print alike on every engine, and
    number_text_as_duckdb_prints (duckdb_text.py) then settles decimals and doubles."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.Concat))):  # innermost first: concat(concat('a', 1), d)
        for value in list(node.expressions):
            cast = _as_text(value)
            if cast is not value:
                value.replace(cast)
                ctx.note("concat", "non-text concat arguments are cast to text, as DuckDB does")
    return tree


def _as_text(value: "exp.Expression") -> "exp.Expression":
    """A cast of a copy of `value` to text when its type is known and not text already (else `value` itself)."""
    from sqlglot import exp

    kind = getattr(value, "type", None)
    if kind is None or kind.this in (exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL) or kind.this in \
            exp.DataType.TEXT_TYPES:
        return value
    cast = exp.cast(value.copy(), exp.DataType.build("VARCHAR"))
    cast.type = exp.DataType.build("VARCHAR")
    return cast


def date_sub_counts_whole_parts(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_sub('week', a, b)` is the number of whole weeks from a to b (truncated toward zero: 19 days is
    2 weeks, -19 days is -2; duckdb.org/docs/stable/sql/functions/date, date_sub), not date_diff's count of week
    boundaries. sqlglot keeps the call as it is, which BigQuery reads as its own DATE_SUB(date, INTERVAL ...)
    ("Expected INTERVAL expression") and Snowflake as DATEADD's inverse. For DATE operands emit the day difference
    (`DATE_DIFF(b, a, DAY)`, Snowflake `DATEDIFF(DAY, a, b)`) for 'day' and its truncated seventh for 'week'
    (BigQuery `DIV(days, 7)`, Snowflake `TRUNC(DIV0(days, 7))`). Whole months, quarters and years count from the day
    of the month (and month ends) in DuckDB's own way: refused with the boundary count as the alternative."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.Anonymous))):  # innermost first (copies)
        if node.name.lower() not in ("date_sub", "datesub") or len(node.expressions) != 3:
            continue
        part, start, end = node.expressions
        name = part.name.lower() if isinstance(part, exp.Literal) and part.is_string else ""
        if name.rstrip("s") not in ("day", "week") or not (is_date(start) or isinstance(start, exp.Null)) \
                or not (is_date(end) or isinstance(end, exp.Null)):
            raise ctx.refuse(node, f"date_sub('{name}', a, b) counts whole parts in a way only DuckDB defines "
                                   "(months from the day of the month)",
                             "date_diff('month', a, b) (boundaries crossed) or date_sub('day', a, b) on DATEs")
        days: exp.Expression = exp.DateDiff(this=end.copy(), expression=start.copy(), unit=exp.var("DAY"))
        node.replace(_whole_weeks(days, ctx) if name.rstrip("s") == "week" else _typed_bigint(days))
        ctx.note("date-sub", f"date_sub('{name}', a, b) counts whole {name.rstrip('s')}s, as in the source")
    return tree


def _whole_weeks(days: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """`days` // 7 truncated toward zero: BigQuery DIV (not `//`, which the division rules read as DuckDB's), Snowflake
    TRUNC(DIV0(days, 7)) (its fixed-point `/`; the divisor is never 0)."""
    from sqlglot import exp

    if ctx.target == "bigquery":
        return _typed_bigint(exp.Anonymous(this="DIV", expressions=[days, exp.Literal.number(7)]))
    return _typed_bigint(exp.Anonymous(this="TRUNC", expressions=[
        exp.Anonymous(this="DIV0", expressions=[days, exp.Literal.number(7)])]))


def _typed_bigint(node: "exp.Expression") -> "exp.Expression":
    from sqlglot import exp

    node.type = exp.DataType.build("BIGINT")
    return node






def float_valued(node: "exp.Expression") -> bool:
    """A DOUBLE by its type, or an absolute value, rounding or negation of one."""
    from sqlglot import exp

    kind = getattr(node, "type", None)
    if isinstance(kind, exp.DataType) and kind.is_type(exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT):
        return True
    if isinstance(node, (exp.Abs, exp.Ceil, exp.Floor, exp.Round, exp.Neg, exp.Paren)):
        return float_valued(node.this)
    return False


def _decimal_literal(value: "exp.Expression") -> bool:
    """A decimal literal, signed or in parentheses, as written or as exact_decimal_literals' CAST('1.50' AS NUMERIC)."""
    from sqlglot import exp

    while isinstance(value, (exp.Paren, exp.Neg, exp.Abs)):  # they keep the scale
        value = value.this
    if isinstance(value, exp.Cast) and isinstance(value.this, exp.Literal) and value.this.is_string:
        return value.to.is_type(exp.DataType.Type.DECIMAL, exp.DataType.Type.BIGDECIMAL)
    return isinstance(value, exp.Literal) and not value.is_string and "." in str(value.this)


def sign_is_an_integer(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's sign(x) is a TINYINT for every numeric x (-1, 0, 1); BigQuery's SIGN returns x's type (FLOAT64 or
    NUMERIC: cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#sign), so `7 // sign(d)`
    has no DIV(INT64, FLOAT64) signature there, a FLOAT64 sign cannot partition a window, and its text is '1.0'-free
    but typed otherwise. Emit CAST(SIGN(x) AS INT64) unless x is an integer."""
    from sqlglot import exp

    from toolkit.sql.rules.base import is_integer

    if ctx.target != "bigquery":
        return tree
    for node in reversed(list(tree.find_all(exp.Sign))):  # innermost first (copies)
        if is_integer(node.this) or isinstance(node.parent, exp.Cast):
            continue
        cast = exp.cast(node.copy(), exp.DataType.build("BIGINT"))
        cast.type = exp.DataType.build("BIGINT")
        node.replace(cast)
        ctx.note("sign", "SIGN of a non-integer is cast to INT64: DuckDB's sign is an integer")
    return tree


def math_in_double(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's sqrt, ln, log10, exp and power compute in DOUBLE whatever the operand (sqrt(0.05) is
    0.223606797749979); BigQuery's SQRT, LN, LOG10, EXP and POW of a NUMERIC return a NUMERIC, 9 decimals
    (0.223606798: cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions). Cast a decimal
    operand to FLOAT64 first."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for node in reversed(list(tree.find_all(exp.Sqrt, exp.Ln, exp.Log, exp.Exp, exp.Pow))):  # innermost first (copies)
        for key in ("this", "expression"):
            operand = node.args.get(key)
            kind = getattr(operand, "type", None)
            decimal = isinstance(kind, exp.DataType) and kind.is_type(exp.DataType.Type.DECIMAL)
            if operand is not None and (decimal or _decimal_literal(operand)):
                cast = exp.cast(operand.copy(), exp.DataType.build("DOUBLE"))
                cast.type = exp.DataType.build("DOUBLE")
                operand.replace(cast)
                ctx.note("math-double", "sqrt/ln/exp/power of a decimal compute in FLOAT64, as DuckDB does")
    return tree
