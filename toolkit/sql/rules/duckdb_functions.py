"""DuckDB functions that sqlglot copies to BigQuery and Snowflake unchanged (or nearly), where those engines lack them
or give them another meaning (their types: duckdb_types.py; grouping and set operations: groups.py). Found by the
widened differential fuzzer (issue 13 item 6); each rule's minimal query is in
tests/integration/fuzz/test_fuzz_widened_regressions.py and runs on ZetaSQL there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp

# DuckDB's date_part names and abbreviations (duckdb.org/docs/stable/sql/functions/datepart) -> the EXTRACT part
# the later date rules (dates.py: weekday, week and calendar numbering) already translate for each engine.
_DATE_PART_AS_EXTRACT = {
    "year": "YEAR", "years": "YEAR", "y": "YEAR", "yr": "YEAR", "yrs": "YEAR",
    "quarter": "QUARTER", "quarters": "QUARTER",
    "month": "MONTH", "months": "MONTH", "mon": "MONTH",
    "day": "DAY", "days": "DAY", "d": "DAY", "dayofmonth": "DAY",
    "week": "WEEK", "weeks": "WEEK", "w": "WEEK", "weekofyear": "WEEK",
    "dow": "DOW", "dayofweek": "DOW", "weekday": "DOW", "isodow": "ISODOW",
    "doy": "DOY", "dayofyear": "DOY", "isoyear": "ISOYEAR", "yearweek": "YEARWEEK",
    "hour": "HOUR", "hours": "HOUR", "h": "HOUR", "minute": "MINUTE", "minutes": "MINUTE", "m": "MINUTE",
    "second": "SECOND", "seconds": "SECOND", "s": "SECOND",
}


def date_part_as_extract(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_part('doy', d)` (any part name or abbreviation, e.g. 'dow', 'isodow', 'yearweek', 'week') is
    EXTRACT(part FROM d); sqlglot keeps it as a plain call, `DATE_PART('doy', d)`, which BigQuery does not have
    ("Function not found: DATE_PART"; its parts are EXTRACT(part FROM d): cloud.google.com/bigquery/docs/reference/
    standard-sql/date_functions#extract) and whose part names Snowflake reads by its own WEEK_START. Rewrite it to
    EXTRACT(PART FROM d) first, so the weekday, ISO week and day-of-year rules (dates.py) number it as DuckDB does.
    A part with no EXTRACT counterpart ('decade', 'century', 'epoch', ...) or a part that is not a literal is
    refused."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.Anonymous))):  # innermost first (copies)
        if node.name.lower() not in ("date_part", "datepart") or len(node.expressions) != 2:
            continue
        part, operand = node.expressions
        name = part.name.lower() if isinstance(part, exp.Literal) and part.is_string else None
        if name not in _DATE_PART_AS_EXTRACT:
            shown = f"'{name}'" if name is not None else "a part that is not a literal"
            raise ctx.refuse(node, f"date_part with {shown} has no EXTRACT counterpart",
                             "EXTRACT(YEAR | QUARTER | MONTH | DAY | WEEK | DOW | ISODOW | DOY | ISOYEAR FROM d), "
                             "or arithmetic on them (year(d) // 10 for a decade)")
        extract = exp.Extract(this=exp.var(_DATE_PART_AS_EXTRACT[name]), expression=operand.copy())
        extract.type = exp.DataType.build("BIGINT")
        node.replace(extract)
        ctx.note("date-part", f"date_part('{name}', d) -> EXTRACT({_DATE_PART_AS_EXTRACT[name]} FROM d)")
    return tree


def concat_ws_skips_nulls(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `concat_ws(sep, a, b, ...)` skips NULL arguments (`concat_ws(',', NULL, 'a')` is 'a'; NULL only when
    sep is NULL). sqlglot writes `CONCAT_WS(sep, COALESCE(a, ''), ...)`: BigQuery has no CONCAT_WS ("Function not
    found"), and on Snowflake a NULL argument becomes '' with its separator kept (',a'; Snowflake's own CONCAT_WS is
    NULL when any argument is: docs.snowflake.com/en/sql-reference/functions/concat_ws). Emit a join of the
    non-NULL values: BigQuery `ARRAY_TO_STRING([a, b], sep)` (NULL elements are omitted: cloud.google.com/bigquery/
    docs/reference/standard-sql/array_functions#array_to_string), Snowflake
    `ARRAY_TO_STRING(ARRAY_CONSTRUCT_COMPACT(a, b), sep)` (ARRAY_CONSTRUCT_COMPACT drops NULLs)."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.ConcatWs))):  # innermost first: the outer one copies it
        separator, *values = node.expressions
        values = [_as_text(v).copy() for v in values]
        if ctx.target == "bigquery":
            array: exp.Expression = exp.Array(expressions=values)
        else:
            array = exp.Anonymous(this="ARRAY_CONSTRUCT_COMPACT", expressions=values)
        joined = exp.ArrayToString(this=array, expression=separator.copy())
        joined.type = exp.DataType.build("VARCHAR")
        node.replace(joined)
        ctx.note("concat-ws", "concat_ws skips NULL values, as in the source")
    return tree


def concat_casts_to_text(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `concat(name, birth_year, d)` casts every non-text argument to text ('Ann1990'); BigQuery CONCAT takes
    only STRING (or only BYTES) arguments (cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#
    concat), and sqlglot's NULL-safe form `COALESCE(birth_year, '')` fails there too ("No matching signature for
    function COALESCE; Argument types: INT64, STRING"); on Snowflake `COALESCE(quantity, '')` reads '' as a number.
    Cast every non-text argument to text first: integers, dates and booleans print alike on every engine, and
    numbers_as_duckdb_text then settles decimals and doubles."""
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


def week_diff_counts_seven_days(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `date_diff('week', a, b)` on DATEs is the day difference divided by 7, truncated (2024-01-07, a
    Sunday, to 2024-01-08 is 0 weeks; 01-01 to 01-08 is 1: measured), not a count of week boundaries. sqlglot
    writes BigQuery DATE_DIFF(b, a, WEEK), which counts Sunday boundaries (1 for Sunday to Monday:
    cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date_diff), and Snowflake DATEDIFF(week),
    which counts WEEK_START boundaries. Emit the whole weeks of the day difference."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.DateDiff))):  # innermost first (copies)
        unit = node.args.get("unit")
        if not (isinstance(unit, exp.Var) and unit.name.upper() in ("WEEK", "WEEKS")) \
                or not (is_date(node.this) and is_date(node.expression)):
            continue
        days = exp.DateDiff(this=node.this.copy(), expression=node.expression.copy(), unit=exp.var("DAY"))
        node.replace(_whole_weeks(days, ctx))
        ctx.note("week-diff", "date_diff('week') on dates counts whole weeks of days, as in the source")
    return tree


_GROUP = re.compile(r"(?<!\\)\((?!\?)")  # an opening parenthesis that starts a capturing group


def regexp_extract_empty_without_match(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `regexp_extract(s, p)` is '' when p does not match s (NULL only for a NULL s or p) and is the whole
    match (group 0) even when p has groups (duckdb.org/docs/stable/sql/functions/regular_expressions). BigQuery
    REGEXP_EXTRACT and Snowflake REGEXP_SUBSTR are NULL without a match (cloud.google.com/bigquery/docs/reference/
    standard-sql/string_functions#regexp_extract; docs.snowflake.com/en/sql-reference/functions/regexp_substr), so
    a GROUP BY, PARTITION BY or COUNT of the result changes, and BigQuery returns the first group when p has one.
    Emit `CASE WHEN s IS NULL THEN NULL ELSE COALESCE(REGEXP_EXTRACT(s, p), '') END`; a pattern with a capturing
    group, one that is not a literal (it could be NULL), or an explicit group number is refused."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.RegexpExtract))):  # innermost first (copies)
        if node.meta.get("fedkit_empty_without_match"):
            continue
        pattern, group = node.expression, node.args.get("group")
        if not (isinstance(pattern, exp.Literal) and pattern.is_string) or _GROUP.search(pattern.this) \
                or (group is not None and group.sql() != "0"):
            raise ctx.refuse(node, "regexp_extract with a capturing group, a group number or a pattern that is not "
                                   "a literal has no exact form", "regexp_extract(s, 'literal pattern without groups')")
        extract = exp.RegexpExtract(this=node.this.copy(), expression=pattern.copy())
        extract.meta["fedkit_empty_without_match"] = True
        replacement = exp.Case(
            ifs=[exp.If(this=exp.Is(this=node.this.copy(), expression=exp.Null()), true=exp.Null())],
            default=exp.Coalesce(this=extract, expressions=[exp.Literal.string("")]))
        replacement.type = exp.DataType.build("VARCHAR")
        node.replace(replacement)
        ctx.note("regexp-extract", "regexp_extract is '' without a match, as in the source")
    return tree


def numbers_as_duckdb_text(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB prints a DECIMAL(p, s) as text with exactly s decimals (CAST(1.50 AS VARCHAR) is '1.50') and a DOUBLE
    in its shortest form with a '.0' for whole numbers ('3.0'). BigQuery's CAST(NUMERIC AS STRING) drops trailing
    zeros ('1.5') and its FLOAT64 text drops the '.0' ('3'; cloud.google.com/bigquery/docs/reference/standard-sql/
    conversion_functions#cast_as_string). Emit `FORMAT('%.sf', x)` for a decimal of known scale s (exact: the value
    has s decimals; NULL stays NULL); refuse the text of a DOUBLE, or of a decimal whose scale is not known.
    Snowflake prints a NUMBER(p, s) with its s decimals, as DuckDB does, and a FLOAT without the '.0' ('3';
    docs.snowflake.com/en/sql-reference/data-type-conversion): there only the DOUBLE is refused."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.Cast))):  # innermost first (copies)
        if not node.to.is_type(*exp.DataType.TEXT_TYPES):
            continue
        operand = getattr(node.this, "type", None)
        if float_valued(node.this):
            raise ctx.refuse(node, "the text of a DOUBLE differs ('3.0' in DuckDB, '3' on BigQuery)",
                             "CAST(CAST(x AS DECIMAL(18, 2)) AS VARCHAR): a decimal's text is portable")
        literal = _decimal_literal(node.this)  # -3.10 once exact_decimal_literals wrote it: its type may be lost
        decimal = isinstance(operand, exp.DataType) and operand.is_type(exp.DataType.Type.DECIMAL)
        if not (decimal or literal) or ctx.target != "bigquery":
            continue
        scale = _decimal_scale(node.this)
        if scale is None:
            raise ctx.refuse(node, "the text of a decimal of unknown scale differs (DuckDB keeps the scale's "
                                   "trailing zeros, BigQuery drops them)", "CAST(x AS DECIMAL(18, 2)) before the text")
        text = exp.Anonymous(this="FORMAT", expressions=[exp.Literal.string(f"%.{scale}f"), node.this.copy()])
        text.type = exp.DataType.build("VARCHAR")
        node.replace(text)
        ctx.note("decimal-text", f"a DECIMAL's text keeps its {scale} decimals, as in the source")
    return tree


def _decimal_scale(value: "exp.Expression") -> int | None:
    """The scale DuckDB gives `value`: its type's, or a decimal literal's digits after the point (exact_decimal_literals
    writes 1.50 as CAST('1.50' AS NUMERIC) with an unparameterised type)."""
    from sqlglot import exp

    params = value.type.expressions if isinstance(getattr(value, "type", None), exp.DataType) else []
    if len(params) > 1 and str(params[1].this.name).isdigit():
        return int(params[1].this.name)
    while isinstance(value, (exp.Paren, exp.Neg, exp.Abs)):  # they keep the scale
        value = value.this
    if isinstance(value, exp.Cast) and isinstance(value.this, exp.Literal) and value.this.is_string:
        whole, point, fraction = value.this.this.partition(".")
        return len(fraction) if point and fraction.isdigit() else None
    if isinstance(value, exp.Literal) and not value.is_string and "." in str(value.this):
        return len(str(value.this).partition(".")[2])
    return None


def split_index_past_the_end(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `string_split(s, sep)[n]` is NULL past the last piece (a list index out of range is NULL:
    duckdb.org/docs/stable/sql/data_types/list); sqlglot writes BigQuery `SPLIT(s, sep)[n - 1]`, a bare OFFSET that
    fails the query there ("Array index 1 is out of bounds"). Emit SAFE_OFFSET (NULL past the end:
    cloud.google.com/bigquery/docs/reference/standard-sql/operators#array_subscript_operator). An empty or
    non-literal separator is refused (DuckDB splits '' into no pieces, BigQuery into one, Snowflake does not split
    on ''), and so is an index that is not a positive literal (DuckDB counts negative ones from the end)."""
    from sqlglot import exp

    for node in reversed(list(tree.find_all(exp.Bracket))):  # innermost first (copies)
        if not isinstance(node.this, exp.Split) or len(node.expressions) != 1:
            continue
        index, separator = node.expressions[0], node.this.expression
        if not (isinstance(separator, exp.Literal) and separator.is_string and separator.this) or not (
                isinstance(index, exp.Literal) and not index.is_string and str(index.this).isdigit()):
            raise ctx.refuse(node, "string_split(s, sep)[n] with an empty or non-literal separator, or an index that "
                                   "is not a positive literal, has no portable form",
                             "split_part(s, ',', n) with a literal separator and a part number from 1")
        if ctx.target == "bigquery" and not node.args.get("safe"):
            safe = exp.Bracket(this=node.this.copy(), expressions=[index.copy()], offset=0, safe=True)
            safe.type = node.type
            node.replace(safe)
            ctx.note("split-index", "SPLIT(...)[SAFE_OFFSET(n - 1)]: NULL past the last piece, as in the source")
    return tree


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
