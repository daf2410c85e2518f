"""Decimal rules: a literal such as `0.06` is an exact DECIMAL in DuckDB and Snowflake but a FLOAT64 on BigQuery.

DuckDB types `0.06` as DECIMAL(3, 2) (digits, decimals; above 38 digits it is a DOUBLE) and Snowflake as
NUMBER(3, 2) (docs.snowflake.com/en/sql-reference/data-types-numeric, "Numeric constants"). BigQuery reads the same
text as a FLOAT64 literal (cloud.google.com/bigquery/docs/reference/standard-sql/lexical, "Floating point
literals"); its exact types are NUMERIC (38 digits, 9 decimals) and BIGNUMERIC (76 digits, 38 decimals), written
`NUMERIC '0.06'` (cloud.google.com/bigquery/docs/reference/standard-sql/data-types, "Decimal types").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp

EXACT_LITERAL_SOURCES = ("duckdb", "snowflake")  # dialects where `0.06` is an exact decimal
MAX_DECIMAL_DIGITS = 38  # DuckDB and Snowflake; a longer literal is a DOUBLE in DuckDB
NUMERIC_SCALE, NUMERIC_INTEGER_DIGITS = 9, 29  # BigQuery NUMERIC: DECIMAL(38, 9)


def decimal_digits(literal: "exp.Expression") -> tuple[int, int] | None:
    """(precision, scale) of a numeric literal written with a decimal point and no exponent, else None."""
    from sqlglot import exp

    if not isinstance(literal, exp.Literal) or literal.is_string:
        return None
    text = str(literal.this)
    if "." not in text or "e" in text.lower():
        return None
    whole, _, fraction = text.lstrip("+-").partition(".")
    precision = len(whole) + len(fraction)
    if precision > MAX_DECIMAL_DIGITS:
        return None
    return max(precision, 1), len(fraction)


def type_decimal_literals(tree: "exp.Expression", dialect: str) -> bool:
    """sqlglot's annotator types every `0.06` as DOUBLE: give decimal literals their exact type and clear the
    types of the expressions above them, so that annotating again (without overwriting) knows `SUM(q) * 1.0` is a
    DECIMAL, as in the source, and the division rules see it. True when there was anything to retype."""
    from sqlglot import exp

    if dialect not in EXACT_LITERAL_SOURCES:
        return False
    found = False
    for literal in list(tree.find_all(exp.Literal)):
        digits = decimal_digits(literal)
        if digits is None:
            continue
        found = True
        literal.type = exp.DataType.build("DECIMAL")  # unparameterised: sqlglot coerces DOUBLE * DECIMAL to DOUBLE
        parent = literal.parent
        while parent is not None and not isinstance(parent, exp.Query):
            parent.type = None
            parent = parent.parent
    return found


def _fraction_argument(literal: "exp.Expression") -> bool:
    """The fraction of PERCENTILE_CONT/quantile_cont: BigQuery wants a literal there, the quantile rules own it."""
    from sqlglot import exp

    parent = literal.parent
    while isinstance(parent, (exp.Neg, exp.Paren)):
        parent = parent.parent
    return isinstance(parent, (exp.PercentileCont, exp.PercentileDisc, exp.Quantile))


def exact_decimal_literals(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """`0.06 + 0.01` is exactly 0.07 in DuckDB and Snowflake but 0.06999999999999999 in BigQuery FLOAT64, so
    `WHERE discount_pct <= 0.06 + 0.01` drops the 0.07 rows there. Write decimal literals as BigQuery NUMERIC
    (BIGNUMERIC beyond 29 integer digits or 9 decimals); arithmetic on them then stays exact, and a comparison
    with a FLOAT64 column converts the exact value, as DuckDB does."""
    from sqlglot import exp

    if ctx.source not in EXACT_LITERAL_SOURCES:
        return tree
    for literal in list(tree.find_all(exp.Literal)):
        digits = decimal_digits(literal)
        if digits is None or _fraction_argument(literal):
            continue
        precision, scale = digits
        integer_digits = precision - scale
        # at most 38 digits (decimal_digits): BIGNUMERIC always holds it
        kind = "NUMERIC" if scale <= NUMERIC_SCALE and integer_digits <= NUMERIC_INTEGER_DIGITS else "BIGNUMERIC"
        exact = exp.cast(exp.Literal.string(str(literal.this)), exp.DataType.build(kind, dialect="bigquery"))
        exact.type = literal.type or exp.DataType.build(f"DECIMAL({precision}, {scale})")
        literal.replace(exact)
        ctx.note("decimal-literal", "decimal literals stay exact (NUMERIC/BIGNUMERIC, not FLOAT64)")
    return tree
