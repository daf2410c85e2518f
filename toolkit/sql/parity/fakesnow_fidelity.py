"""What fakesnow gets wrong about Snowflake, put right before it runs a query (pure; parity's Snowflake oracle).

fakesnow runs Snowflake SQL as DuckDB through sqlglot, so two documented Snowflake behaviours vanish:
- exact division is fixed point: the quotient keeps max(s1, min(s1 + 6, 12)) decimals (1 / 3 = 0.333333,
  docs.snowflake.com/en/sql-reference/operators-arithmetic), where DuckDB's `/` gives a DOUBLE;
- TO_CHAR(<date>, 'YYYY-MM') of an operand sqlglot cannot type is read as a plain cast and loses its format.
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

from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    import pyarrow as pa


def faithful_snowflake_sql(sql: str, tables: Mapping[str, "pa.Table"]) -> str:
    """`sql` with exact divisions at Snowflake's scale and TO_CHAR operands typed; unchanged when it has neither,
    or does not parse (fakesnow then reports the problem itself)."""
    from sqlglot import exp

    from toolkit.sql.compile import SqlSyntaxError, _annotate, _parse
    from toolkit.sql.rules.base import RuleContext
    from toolkit.sql.rules.dates import format_operand_typed
    from toolkit.sql.rules.snowflake_source import snowflake_division_scale

    try:
        tree = _parse(sql, "snowflake")
    except SqlSyntaxError:
        return sql
    if tree.find(exp.Div, exp.ToChar, exp.TimeToStr) is None:
        return sql
    catalog = _catalog(tables)
    loaded = {name.lower() for name in catalog.names}
    for table in tree.find_all(exp.Table):  # `ANALYTICS.GOLD.FACT_SALES` is the loaded table, in the session's schema
        if table.name.lower() in loaded:
            table.set("db", None)
            table.set("catalog", None)
    tree = _annotate(tree, "snowflake", catalog)
    ctx = RuleContext(source="snowflake", target="snowflake")
    for rule in (snowflake_division_scale, format_operand_typed):
        tree = rule(tree, ctx)
    return tree.sql(dialect="snowflake") if ctx.notes else sql


def _catalog(tables: Mapping[str, "pa.Table"]):
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.types import from_arrow

    return GoldCatalog(tuple(
        GoldTable(name=name, location=f"/{name}",
                  columns=tuple(Column(field.name, from_arrow(field.type), field.nullable) for field in table.schema))
        for name, table in tables.items()))
