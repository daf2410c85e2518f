"""Rules for the AWS-native targets: Athena (Trino, engine v3) and Redshift, where sqlglot's output would run but
mean something else than the source (or not run at all). Shared rules (division in DOUBLE, AVG in DOUBLE, explicit
NULL ordering, weekday and ISO week numbering for Trino) are listed for these targets in `toolkit.sql.rules`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp

TRINO_MEDIAN_ALTERNATIVE = (
    "an exact median from window functions: number the values with ROW_NUMBER() OVER (ORDER BY x) and COUNT(*) "
    "OVER (), then AVG(x) of the rows whose number is FLOOR((n + 1) / 2) or CEIL((n + 1) / 2) "
    "(see sql/kpi/median_order_value.sql)"
)


def athena_exact_percentiles(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `median(x)` / `quantile_cont(x, p)` are exact; sqlglot writes Trino `PERCENTILE_CONT(x, p)`, which
    Athena engine v3 does not have: Trino's only percentile is `approx_percentile`, an approximation (t-digest) whose
    answer differs from the exact one. Refuse, naming the exact window-function form.
    (docs.aws.amazon.com/athena/latest/ug/functions-env3.html -> trino.io/docs/current/functions/aggregate.html,
    "Approximate aggregate functions": approx_percentile is the only percentile aggregate)"""
    from sqlglot import exp

    for node in tree.find_all(exp.Median, exp.PercentileCont, exp.PercentileDisc, exp.Quantile):
        raise ctx.refuse(node, f"{node.sql_name()} has no exact form on Athena (Trino has only approx_percentile)",
                         TRINO_MEDIAN_ALTERNATIVE)
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
    (docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_function.html, "Return type" and "Examples"). Emit `CAST(DATE_PART(dow, d) AS
    INT)`, `MOD(CAST(DATE_PART(dow, d) AS INT) + 6, 7) + 1` for ISO weekdays, `CAST(DATE_PART(week, d) AS INT)`."""
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
