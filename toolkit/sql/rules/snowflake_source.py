"""Rules for KPIs written in Snowflake SQL: what Snowflake's functions mean (default session parameters:
WEEK_START = 0, WEEK_OF_YEAR_POLICY = 0), spelled for DuckDB and BigQuery.

Snowflake's weekday and week numbering under those defaults is DuckDB's (Sunday = 0 for DAYOFWEEK, ISO weeks for
WEEK and YEAROFWEEK, Monday-start DATE_TRUNC('week')), so the DuckDB-source date rules apply to it unchanged;
the rules here cover what differs. (docs.snowflake.com/en/sql-reference/functions-date-time#label-calendar-weeks-
weekdays)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, _type, double, is_integer

if TYPE_CHECKING:
    from sqlglot import exp


def listagg_empty_separator(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake LISTAGG(x) without a delimiter concatenates with '' (no separator); DuckDB's LISTAGG and BigQuery's
    STRING_AGG default to ',' and sqlglot prints them bare: 'ab' becomes 'a,b'. State the empty separator.
    (docs.snowflake.com/en/sql-reference/functions/listagg: "delimiter ... Default: empty string")"""
    from sqlglot import exp

    for node in tree.find_all(exp.GroupConcat):
        if node.args.get("separator") is None:
            node.set("separator", exp.Literal.string(""))
            ctx.note("listagg", "LISTAGG(x) keeps Snowflake's empty default separator")
    return tree


# Snowflake date/time format elements (case-insensitive) with the strftime code that prints the same text.
_ELEMENTS = (("YYYY", "%Y"), ("HH24", "%H"), ("HH12", "%I"), ("MMMM", "%B"), ("MON", "%b"), ("YY", "%y"),
             ("MM", "%m"), ("DD", "%d"), ("DY", "%a"), ("MI", "%M"), ("SS", "%S"))
_ELEMENT_RE = re.compile("|".join(name for name, _ in _ELEMENTS) + r'|"[^"]*"|[A-Za-z]+|[^A-Za-z"]+', re.IGNORECASE)
_TEMPORAL = ("DATE", "DATETIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMPLTZ", "TIMESTAMPNTZ")


def _strftime_format(fmt: str) -> tuple[str, list[str]]:
    """(strftime format, unknown elements) for a Snowflake format string."""
    codes = {name: code for name, code in _ELEMENTS}
    out, unknown = [], []
    for token in _ELEMENT_RE.findall(fmt):
        if token.upper() in codes:
            out.append(codes[token.upper()])
        elif token.startswith('"'):
            out.append(token[1:-1].replace("%", "%%"))
        elif token[0].isalpha():
            unknown.append(token)
        else:
            out.append(token.replace("%", "%%"))
    return "".join(out), unknown


def snowflake_date_formats(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake TO_CHAR / TO_VARCHAR(d, 'YYYY-MM') of a date or timestamp formats it; sqlglot reads it without
    knowing the operand's type and cannot print it for DuckDB or BigQuery (or prints a plain CAST). With the type
    known from the catalog, translate the elements (case-insensitive: 'dd' is the day like 'DD') to strftime codes
    (DuckDB STRFTIME, BigQuery FORMAT_DATE/FORMAT_TIMESTAMP); refuse elements with no exact equivalent, by name.
    (docs.snowflake.com/en/sql-reference/date-time-input-output#date-and-time-formats-in-conversion-functions)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.TimeToStr)):
        _fix_read_format(node, ctx)
    for node in list(tree.find_all(exp.ToChar)):
        fmt = node.args.get("format")
        kind = _type(node.this)
        if fmt is None or kind is None or kind.name not in _TEMPORAL:
            continue
        if not isinstance(fmt, exp.Literal) or not fmt.is_string:
            raise ctx.refuse(node, "TO_CHAR with a format that is not a literal cannot be translated",
                             "a literal format such as TO_CHAR(d, 'YYYY-MM')")
        strftime, unknown = _strftime_format(fmt.this)
        if unknown:
            raise ctx.refuse(node, f"TO_CHAR format element(s) {', '.join(unknown)} have no exact equivalent",
                             "the elements YYYY YY MM MON MMMM DD DY HH24 HH12 MI SS, or EXTRACT(...) for the part")
        operand = node.this.copy()
        if kind.name in ("TIMESTAMPTZ", "TIMESTAMPLTZ"):  # an instant: BigQuery FORMAT_TIMESTAMP (UTC)
            operand = exp.TsOrDsToTimestamp(this=operand)
        elif kind.name != "DATE":  # a wall-clock timestamp (NTZ): BigQuery DATETIME, FORMAT_DATETIME
            operand = exp.TsOrDsToDatetime(this=operand)
        formatted = exp.TimeToStr(this=operand, format=exp.Literal.string(strftime))
        formatted.type = exp.DataType.build("VARCHAR")
        node.replace(formatted)
        ctx.note("to-char", "TO_CHAR(date, format) -> the same text with the target's format codes")
    return tree


def _fix_read_format(node: "exp.TimeToStr", ctx: RuleContext) -> None:
    """sqlglot already turned TO_CHAR(<typed value>, fmt) into strftime codes, reading elements case-sensitively:
    'dd' became %-d (unpadded) and 'dy' %w (a number), where Snowflake means DD and DY. Letters left in the format
    were elements sqlglot does not know: refuse them."""
    from sqlglot import exp

    fmt = node.args.get("format")
    if not isinstance(fmt, exp.Literal) or not fmt.is_string:
        return
    fixed = fmt.this.replace("%-d", "%d").replace("%w", "%a")
    unknown = re.findall(r"(?<!%)[A-Za-z]+", re.sub(r"%-?[A-Za-z]", "", fixed))
    if unknown:
        raise ctx.refuse(node, f"TO_CHAR format element(s) {', '.join(unknown)} have no exact equivalent",
                         "the elements YYYY YY MM MON MMMM DD DY HH24 HH12 MI SS, or EXTRACT(...) for the part")
    if fixed != fmt.this:
        node.set("format", exp.Literal.string(fixed))
        ctx.note("to-char", "TO_CHAR elements are case-insensitive on Snowflake ('dd' is DD, 'dy' is DY)")


def _scale(node: "exp.Expression") -> int | None:
    """Scale of an exact number: 0 for integers, s for DECIMAL(p, s), None when unknown or not exact."""
    from sqlglot import exp

    if is_integer(node):
        return 0
    data_type = getattr(node, "type", None)
    if _type(node) == exp.DataType.Type.DECIMAL and data_type is not None and len(data_type.expressions) == 2:
        return int(data_type.expressions[1].this.this)
    if isinstance(node, exp.Literal) and not node.is_string:
        return len(node.this.split(".")[1]) if "." in node.this else 0
    return None


def snowflake_division_scale(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake divides exact numbers in fixed point: the quotient has max(s1, min(s1 + 6, 12)) decimals for a
    dividend of scale s1, rounded (1 / 3 = 0.333333, SUM(qty) / COUNT(*) keeps 6 decimals). DuckDB's `/` gives a
    DOUBLE and BigQuery's a FLOAT64 (0.3333333333333333). Divide in DOUBLE and round to Snowflake's scale, as an exact
    decimal: CAST(ROUND(CAST(x AS DOUBLE) / y, s) AS DECIMAL(38, s)) (BigQuery NUMERIC, BIGNUMERIC past 9 decimals).
    (docs.snowflake.com/en/sql-reference/operators-arithmetic#scale-and-precision-in-arithmetic-operations)"""
    from sqlglot import exp

    for div in list(tree.find_all(exp.Div)):
        x, y = div.this, div.expression
        s1 = _scale(x)
        if s1 is None or _scale(y) is None:
            continue  # a float on either side (or an unknown type) divides in floating point on every engine
        scale = max(s1, min(s1 + 6, 12))
        quotient = exp.Div(this=double(x.copy()), expression=y.copy(), typed=False, safe=False)
        rounded = exp.Round(this=quotient, decimals=exp.Literal.number(scale))
        if ctx.target == "bigquery":
            to = exp.DataType.build("DECIMAL" if scale <= 9 else "BIGDECIMAL")
        else:
            to = exp.DataType.build(f"DECIMAL(38, {scale})")
        exact = exp.cast(rounded, to)
        exact.type = exp.DataType.build(f"DECIMAL(38, {scale})")
        div.replace(exact)
        ctx.note("division-scale", f"x / y keeps Snowflake's {scale} decimals (fixed-point division)")
    return tree


def contains_case_sensitive(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake CONTAINS(s, 'A') is a case-sensitive substring test; sqlglot writes BigQuery CONTAINS_SUBSTR, which
    ignores case and normalises the text ('abc' contains 'B'). Emit STRPOS(s, sub) > 0.
    (bigquery/docs/reference/standard-sql/string_functions#contains_substr)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Contains)):
        found = exp.GT(this=exp.StrPosition(this=node.this.copy(), substr=node.expression.copy()),
                       expression=exp.Literal.number(0))
        node.replace(found)
        ctx.note("contains", "CONTAINS(s, sub) stays case-sensitive (STRPOS(s, sub) > 0)")
    return tree


_PART_FUNCTIONS = {"Year": "YEAR", "Quarter": "QUARTER", "Month": "MONTH", "Day": "DAY", "DayOfMonth": "DAY",
                   "Hour": "HOUR", "Minute": "MINUTE", "Second": "SECOND", "YearOfWeek": "ISOYEAR",
                   "YearOfWeekIso": "ISOYEAR", "DayOfYear": "DAYOFYEAR"}


def date_part_functions(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake's YEAR(d), QUARTER(d), HOUR(ts), YEAROFWEEK(d) ... reach BigQuery unchanged (or as YEAR_OF_WEEK),
    functions BigQuery does not have. Emit EXTRACT(part FROM d); YEAROFWEEK is the ISO year under the default
    WEEK_OF_YEAR_POLICY, EXTRACT(ISOYEAR). Abbreviated DAYNAME/MONTHNAME ('Fri', 'Apr') become FORMAT_DATE('%a' /
    '%b'). (bigquery/docs/reference/standard-sql/date_functions#extract)"""
    from sqlglot import exp

    for node in list(tree.find_all(exp.Func)):
        part = _PART_FUNCTIONS.get(type(node).__name__)
        if part is not None and not node.expressions:
            replacement: exp.Expression = exp.Extract(this=exp.var(part), expression=node.this.copy())
            replacement.type = exp.DataType.build("BIGINT")
        elif isinstance(node, (exp.Dayname, exp.Monthname)):
            code = "%a" if isinstance(node, exp.Dayname) else "%b"
            as_date = exp.cast(node.this.copy(), exp.DataType.build("DATE"))
            replacement = exp.Anonymous(this="FORMAT_DATE", expressions=[exp.Literal.string(code), as_date])
        else:
            continue
        node.replace(replacement)
        ctx.note("date-parts", "Snowflake date-part functions -> EXTRACT / FORMAT_DATE")
    return tree


def week_difference_monday(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake DATEDIFF(week, a, b) counts week boundaries with weeks starting on Monday (WEEK_START = 0);
    sqlglot writes BigQuery DATE_DIFF(b, a, WEEK), whose weeks start on Sunday: a Saturday to the next Monday is 1
    week on Snowflake, 1 on BigQuery too, but a Sunday to the next Monday is 1 on Snowflake and 0 on BigQuery.
    Emit WEEK(MONDAY). (docs.snowflake.com/en/sql-reference/functions/datediff;
    bigquery/docs/reference/standard-sql/date_functions#date_diff)"""
    from sqlglot import exp

    for node in tree.find_all(exp.DateDiff):
        unit = node.args.get("unit")
        if unit is not None and unit.name.upper() in ("WEEK", "WEEKS", "W", "WK"):
            node.set("unit", exp.WeekStart(this=exp.var("MONDAY")))
            ctx.note("week-diff", "DATEDIFF(week) counts Monday-start weeks as on Snowflake")
    return tree


def ratio_to_report(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """Snowflake RATIO_TO_REPORT(x) OVER (PARTITION BY g) is x divided by the partition's SUM(x), NULL when that sum
    is 0; DuckDB and BigQuery have no such function (sqlglot copies it). Emit x / NULLIF(SUM(x) OVER (PARTITION BY
    g), 0); the division then follows Snowflake's scale (`snowflake_division_scale` runs after).
    (docs.snowflake.com/en/sql-reference/functions/ratio_to_report)"""
    from sqlglot import exp

    for window in list(tree.find_all(exp.Window)):
        func = window.this
        if not isinstance(func, exp.Anonymous) or func.name.upper() != "RATIO_TO_REPORT" or len(func.expressions) != 1:
            continue
        if window.args.get("order") is not None:
            raise ctx.refuse(window, "RATIO_TO_REPORT with ORDER BY is not allowed on Snowflake",
                             "RATIO_TO_REPORT(x) OVER (PARTITION BY g)")
        value = func.expressions[0]
        total = window.copy()
        total.set("this", exp.Sum(this=value.copy()))
        total.type = value.type
        divisor = exp.Nullif(this=total, expression=exp.Literal.number(0))
        divisor.type = value.type
        ratio = exp.Div(this=value.copy(), expression=divisor, typed=False, safe=False)
        ratio.type = value.type
        window.replace(exp.Paren(this=ratio))
        ctx.note("ratio-to-report", "RATIO_TO_REPORT(x) -> x / NULLIF(SUM(x) OVER (...), 0)")
    return tree
