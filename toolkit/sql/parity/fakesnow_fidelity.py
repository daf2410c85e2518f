"""What fakesnow gets wrong about Snowflake, put right before it runs a query (pure; parity's Snowflake oracle).

fakesnow runs Snowflake SQL as DuckDB through sqlglot, so two documented Snowflake behaviours vanish:
- exact division is fixed point: the quotient keeps max(s1, min(s1 + 6, 12)) decimals (1 / 3 = 0.333333,
  docs.snowflake.com/en/sql-reference/operators-arithmetic), where DuckDB's `/` gives a DOUBLE;
- TO_CHAR(<date>, 'YYYY-MM') of an operand sqlglot cannot type is read as a plain cast and loses its format;
- TO_CHAR format elements are case-insensitive on Snowflake ('Mon YYYY' prints 'Jun 2024'), but sqlglot knows only
  upper-case ones and fakesnow prints 'Mon 2024' (seen by tests/corpus/snowflake_hunt/11_to_char_formats.sql);
- FLOAT::INTEGER rounds half away from zero on Snowflake ("rounded to the nearest integer", like ROUND), DuckDB's
  cast half to even: fakesnow sums (0.25 * 10)::INTEGER as 2, Snowflake as 3 (snowflake_hunt/20_number_casts.sql);
- PERCENTILE_CONT of a NUMBER(p, s) keeps 3 more decimals on Snowflake (NUMBER(p+3, s+3)); fakesnow's DuckDB
  keeps s and gives 302.16 for 302.162 (snowflake_hunt/21_medians_and_modes.sql);
- AVG of a NUMBER is a NUMBER at the division's scale on Snowflake (AVG of 1, 2, 2 is 1.666667, Snowflake's own
  example); fakesnow's DuckDB returns the DOUBLE 1.6666666666666667 (snowflake_hunt/23_moving_windows.sql);
- (not restated) MAX_BY / MIN_BY run as DuckDB's ARG_MAX / ARG_MIN, which skip rows whose returned value is NULL:
  where the winning row's value is NULL, fakesnow returns another row's value and parity reports a mismatch;
- RATIO_TO_REPORT is not implemented by fakesnow ("Aggregate Function with name ratio_to_report does not exist",
  snowflake_hunt/22_channel_share.sql).
The same rules that compile a Snowflake-source KPI for the other engines restate both in Snowflake SQL that means
the same on real Snowflake (ROUND to the scale it keeps anyway; a CAST to the operand's own type), so fakesnow's
answer becomes Snowflake's. This is a model of the documentation, not an independent oracle: parity reports say so.

Known and not restated (a Snowflake result there is not evidence either way):
- FLATTEN's INDEX is not the position of the VALUE on its row once the input has more than a handful of rows
  (`SPLIT(product_name, ' ')` over the 158 sampled products: 'Voltra Phones P269' gives INDEX 2 with VALUE
  "Voltra"), so a filter or a GROUP BY on the offset of `UNNEST(...) WITH OFFSET` counts the wrong elements;
  Snowflake documents INDEX as "the index of the element, if it is an array"
  (docs.snowflake.com/en/sql-reference/functions/flatten).
- A FLATTEN value column renamed by a column alias list casts to text with its JSON quotes ('"Velo"'); only a
  column named VALUE is read as the element, so fedkit's Snowflake text keeps that name (rules.bigquery_values).
- ARRAY_TO_STRING(arr, ', ') fails ("Invalid LIST argument during lambda function binding"): fakesnow translates it
  with an arrow lambda, which DuckDB 2.0 rejects (duckdb.org/docs/stable/sql/functions/lambda); Snowflake documents
  the function (docs.snowflake.com/en/sql-reference/functions/array_to_string). BigQuery's ARRAY_TO_STRING(ARRAY_AGG(x),
  sep) compiles to LISTAGG (rules.bigquery_strings), which fakesnow runs.
- TRIM / LTRIM / RTRIM(s, characters) ignore the characters (LTRIM('ORD-1', 'ORD-') stays 'ORD-1'); Snowflake
  documents the argument (docs.snowflake.com/en/sql-reference/functions/trim).
- TO_TIMESTAMP_TZ(n, scale) comes back as a TIMESTAMP_NTZ (a naive datetime); Snowflake documents a TIMESTAMP_TZ
  (docs.snowflake.com/en/sql-reference/functions/to_timestamp).
- SIGN() of an integer comes back as a DuckDB TINYINT, which fakesnow's result encoder refuses ("for column type
  TINYINT"); Snowflake's SIGN returns a NUMBER.
- REGEXP_REPLACE(s, p, r, position, occurrence), Snowflake's documented first-match form (docs.snowflake.com/en/
  sql-reference/functions/regexp_replace) that DuckDB's regexp_replace without 'g' compiles to: fakesnow 0.12.1 says
  "REGEXP_REPLACE with additional parameters (eg: <position>, <occurrence>, <parameters>) not implemented"
  (tests/corpus/duckdb_hunt/35_regexp_first_match.sql).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.gold.model import GoldCatalog


def faithful_snowflake_sql(sql: str, tables: Mapping[str, "pa.Table"]) -> str:
    """`sql` restated where fakesnow departs from Snowflake (the list above); unchanged when it has none of those
    constructs, or does not parse, or uses one the restatement refuses (fakesnow then reports the problem itself)."""
    return restated_for_fakesnow(sql, lambda: _catalog(tables))


def restated_for_fakesnow(sql: str, catalog: "GoldCatalog | Callable[[], GoldCatalog]") -> str:
    """`faithful_snowflake_sql` over a gold catalog (the tables' names and types, no rows), or a function making it
    (called only for a query that has something to restate)."""
    from sqlglot import exp

    from toolkit.sql.compile import SqlSyntaxError, _annotate, _parse
    from toolkit.sql.rules.base import RuleContext, UnportableError
    from toolkit.sql.rules.dates import format_operand_typed
    from toolkit.sql.rules.snowflake_source import ratio_to_report, snowflake_division_scale
    from toolkit.sql.rules.arithmetic import float_to_integer_rounds_half_away
    from toolkit.sql.rules.snowflake_types import avg_of_numbers_keeps_division_scale, median_keeps_three_more_decimals

    try:
        tree = _parse(sql, "snowflake")
    except SqlSyntaxError:
        return sql
    if tree.find(exp.Div, exp.ToChar, exp.TimeToStr, exp.Cast, exp.TryCast, exp.Window, exp.Median,
                 exp.WithinGroup, exp.Avg) is None:
        return sql
    if callable(catalog):
        catalog = catalog()
    loaded = {name.lower() for name in catalog.names}
    for table in tree.find_all(exp.Table):  # `ANALYTICS.GOLD.FACT_SALES` is the loaded table, in the session's schema
        if table.name.lower() in loaded:
            table.set("db", None)
            table.set("catalog", None)
    tree = _annotate(tree, "snowflake", catalog)
    ctx = RuleContext(source="snowflake", target="snowflake")
    try:
        for rule in (ratio_to_report, avg_of_numbers_keeps_division_scale, snowflake_division_scale,
                     format_operand_typed, _format_elements_upper_case, float_to_integer_rounds_half_away,
                     median_keeps_three_more_decimals):
            tree = rule(tree, ctx)
    except UnportableError:
        return sql
    return tree.sql(dialect="snowflake") if ctx.notes else sql


def _format_elements_upper_case(tree, ctx):
    """TO_CHAR(<date or timestamp>, 'Mon yyyy') with its elements upper-cased ('MON YYYY'): the same text on
    Snowflake, whose elements are case-insensitive, and the only spelling sqlglot (so fakesnow) translates. Text in
    double quotes is literal and kept. A TO_CHAR sqlglot already read as a strftime format (its operand a CAST)
    keeps the mixed-case elements it did not know as text: those are upper-cased there."""
    import re

    from sqlglot import exp

    for node in tree.find_all(exp.ToChar, exp.TimeToStr):
        fmt = node.args.get("format")
        kind = getattr(node.this, "type", None)
        if not (isinstance(fmt, exp.Literal) and fmt.is_string):
            continue
        if isinstance(node, exp.TimeToStr):  # '%b %Y' known, 'Mon' left as text
            upper = re.sub(r"%-?[A-Za-z]|[A-Za-z0-9]+",
                           lambda m: m.group(0).upper() if m.group(0).upper() in _ELEMENTS else m.group(0), fmt.this)
        elif kind is not None and kind.is_type(*_TEMPORAL):
            upper = re.sub(r'"[^"]*"|[^"]+',
                           lambda m: m.group(0) if m.group(0).startswith('"') else m.group(0).upper(), fmt.this)
        else:
            continue
        if upper != fmt.this:
            node.set("format", exp.Literal.string(upper))
            ctx.note("to-char", "TO_CHAR elements upper-cased for fakesnow")
    return tree


_TEMPORAL = ("DATE", "DATETIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMPLTZ", "TIMESTAMPNTZ")
_ELEMENTS = frozenset({"YYYY", "YY", "MM", "MON", "MMMM", "DD", "DY", "HH24", "HH12", "MI", "SS"})


def _catalog(tables: Mapping[str, "pa.Table"]):
    """The tables' names and types; a table with a column the type map cannot hold is left out (fakesnow cannot
    load it either, and reports that for the queries naming it)."""
    from toolkit.errors import UsageError
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.types import from_arrow

    known = []
    for name, table in tables.items():
        try:
            columns = tuple(Column(f.name, from_arrow(f.type), f.nullable) for f in table.schema)
        except UsageError:
            continue
        known.append(GoldTable(name=name, location=f"/{name}", columns=columns))
    return GoldCatalog(tuple(known))
