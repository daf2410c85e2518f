"""Calendar rules for a BigQuery source found by independently written KPIs (tests/corpus/bigquery_hunt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext, is_date

if TYPE_CHECKING:
    from sqlglot import exp


def iso_year_truncation(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery DATE_TRUNC(d, ISOYEAR) is the Monday that starts d's ISO year (2024-12-30 -> 2024-12-30, 2021-01-03
    -> 2019-12-30), a DATE. sqlglot writes DATE_TRUNC('ISOYEAR', d): a TIMESTAMP on DuckDB, and a part Snowflake's
    DATE_TRUNC does not list (its ISO parts are for extraction: YEAROFWEEKISO). Emit the Monday of the week holding
    January 4th of d's ISO year, a DATE on both.
    (bigquery/docs/reference/standard-sql/date_functions#date_trunc;
    docs.snowflake.com/en/sql-reference/functions-date-time#supported-date-and-time-parts)"""
    from sqlglot import exp

    def call(name: str, *args: exp.Expression) -> exp.Expression:
        return exp.Anonymous(this=name, expressions=list(args))

    for node in list(tree.find_all(exp.DateTrunc)):
        unit = node.args.get("unit")
        if not (isinstance(unit, (exp.Var, exp.Literal)) and unit.name.upper() == "ISOYEAR" and is_date(node.this)):
            continue
        if ctx.target == "duckdb":
            january_4th = call("MAKE_DATE", call("ISOYEAR", node.this.copy()), exp.Literal.number(1),
                               exp.Literal.number(4))
            weekday = call("ISODOW", january_4th.copy())
        elif ctx.target == "snowflake":
            january_4th = call("DATE_FROM_PARTS", call("YEAROFWEEKISO", node.this.copy()), exp.Literal.number(1),
                               exp.Literal.number(4))
            weekday = call("DAYOFWEEKISO", january_4th.copy())
        else:
            continue
        monday = exp.DateAdd(this=january_4th, expression=exp.Sub(this=exp.Literal.number(1), expression=weekday),
                             unit=exp.var("DAY"))
        start = exp.cast(monday, exp.DataType.build("DATE"))
        start.type = exp.DataType.build("DATE")
        node.replace(start)
        ctx.note("iso-year", "DATE_TRUNC(d, ISOYEAR) is the Monday starting the ISO year, a DATE")
    return tree


def datetime_trunc_on_snowflake(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery DATETIME_TRUNC(dt, HOUR) truncates a wall-clock DATETIME; sqlglot copies DATETIME_TRUNC to Snowflake,
    which has no such function (fakesnow, translating to DuckDB, accepts it). Snowflake's DATE_TRUNC truncates a
    TIMESTAMP_NTZ (its DATETIME) the same way. Weeks are left to `bigquery_week_truncation`.
    (bigquery/docs/reference/standard-sql/datetime_functions#datetime_trunc;
    docs.snowflake.com/en/sql-reference/functions/date_trunc)"""
    from sqlglot import exp

    if ctx.target != "snowflake":
        return tree
    for node in list(tree.find_all(exp.DatetimeTrunc)):
        unit = node.args.get("unit")
        if not isinstance(unit, exp.Var) or unit.name.upper().startswith(("WEEK", "ISO")):
            continue
        truncated = exp.TimestampTrunc(this=node.this.copy(), unit=exp.var(unit.name.upper()))
        truncated.type = node.type
        node.replace(truncated)
        ctx.note("datetime-trunc", "DATETIME_TRUNC -> DATE_TRUNC on Snowflake")
    return tree
