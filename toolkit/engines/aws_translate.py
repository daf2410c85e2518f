"""Athena (Trino) and Redshift SQL as DuckDB SQL, for their local stand-ins (the sandbox engines in
toolkit.engines.aws_standin, the parity oracles in toolkit.sql.parity.aws_standin, validate's offline check): sqlglot
translates it back (athena/redshift -> duckdb), the way fakesnow serves Snowflake.

NOT independent oracles of the real engines: the translation shares sqlglot's blind spots. Where sqlglot's DuckDB
output would silently answer with DuckDB's semantics instead of the engine's, a documented behaviour is restated
first (`_MODELS`), so a KPI compiled without its portability rule gives the engine's answer here too:
- integer / integer truncates on Trino and Redshift (sqlglot reads the `/` as typed but DuckDB's `/` is DOUBLE):
  DuckDB `//`, which also truncates toward zero (trino.io/docs/current/functions/math.html "Mathematical operators";
  docs.aws.amazon.com/redshift/latest/dg/r_numeric_computations201.html, "Integer and decimal division");
- Redshift AVG of an integer column is a BIGINT, truncated (docs.aws.amazon.com/redshift/latest/dg/r_AVG.html,
  "Data types");
- Trino SPLIT_PART past the last piece is NULL (trino.io/docs/current/functions/string.html#split_part);
- Trino DATE_TRUNC of a DATE is a DATE (DuckDB would return a TIMESTAMP);
- Trino EXTRACT(DOW) is the ISO weekday, Monday = 1 .. Sunday = 7 (trino.io/docs/current/functions/datetime.html,
  "Convenience extraction functions": day_of_week), where DuckDB's DOW is Sunday = 0;
- Redshift REGEXP_REPLACE replaces every match (sqlglot reads it back as DuckDB's first-match form), and
  REGEXP_SUBSTR's 'e' parameter extracts the first group (sqlglot drops it).
Anything else (regular-expression dialects, decimal scales of division, NULL ordering defaults, zero division) is
DuckDB's behaviour, not the engine's: the description says so in every report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping

from toolkit.sql.parity.oracle import OracleError, first_line

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlglot import exp

    from toolkit.gold.model import GoldCatalog


def _integer_division_truncates(tree: "exp.Expression", dialect: str) -> None:
    from sqlglot import exp

    from toolkit.sql.rules.base import is_integer

    def integer(node: "exp.Expression") -> bool:  # DATEDIFF is a BIGINT on both engines, whatever sqlglot types
        while isinstance(node, exp.Paren):
            node = node.this
        return is_integer(node) or isinstance(node, (exp.DateDiff, exp.TsOrDsDiff))

    for div in list(tree.find_all(exp.Div)):
        if integer(div.this) and integer(div.expression):
            div.replace(exp.IntDiv(this=div.this.copy(), expression=div.expression.copy()))


def _redshift_integer_avg(tree: "exp.Expression", dialect: str) -> None:
    from sqlglot import exp

    from toolkit.sql.rules.base import is_integer

    if dialect != "redshift":
        return
    for avg in list(tree.find_all(exp.Avg)):
        if is_integer(avg.this) and not isinstance(avg.parent, exp.Window):
            avg.replace(exp.cast(exp.Anonymous(this="TRUNC", expressions=[avg.copy()]), exp.DataType.build("BIGINT")))


def _trino_split_part_null(tree: "exp.Expression", dialect: str) -> None:
    from sqlglot import exp

    if dialect != "athena":
        return
    for node in list(tree.find_all(exp.SplitPart)):
        pieces = exp.Anonymous(this="STRING_SPLIT", expressions=[node.this.copy(), node.args["delimiter"].copy()])
        node.replace(exp.Anonymous(this="LIST_EXTRACT", expressions=[pieces, node.args["part_index"].copy()]))


def _trino_date_trunc_of_date(tree: "exp.Expression", dialect: str) -> None:
    from sqlglot import exp

    from toolkit.sql.rules.base import is_date

    if dialect != "athena":
        return
    for node in list(tree.find_all(exp.DateTrunc, exp.TimestampTrunc)):
        if is_date(node.this) and not isinstance(node.parent, exp.Cast):
            node.replace(exp.cast(node.copy(), exp.DataType.build("DATE")))


def _trino_extract_dow_is_iso(tree: "exp.Expression", dialect: str) -> None:
    from sqlglot import exp

    if dialect != "athena":
        return
    for node in list(tree.find_all(exp.Extract)):
        if node.this.name.upper() in ("DOW", "DAY_OF_WEEK"):
            node.replace(exp.DayOfWeekIso(this=node.expression.copy()))


def _redshift_varchar_max(tree: "exp.Expression", dialect: str) -> None:
    """sqlglot writes Redshift VARCHAR(MAX) back as DuckDB `TEXT(MAX)`, which DuckDB cannot parse: a translation
    artefact, not a Redshift behaviour (DuckDB's VARCHAR has no length)."""
    from sqlglot import exp

    for data_type in tree.find_all(exp.DataType):
        if data_type.is_type(*exp.DataType.TEXT_TYPES) and data_type.expressions:
            data_type.set("expressions", [])


def _listagg_distinct_separator(tree: "exp.Expression", dialect: str) -> None:
    """sqlglot reads `LISTAGG(DISTINCT x, sep)` as a DISTINCT over the pair (x, sep), with no separator: a
    translation artefact. Put the separator back where DuckDB's string_agg expects it."""
    from sqlglot import exp

    for node in tree.find_all(exp.GroupConcat):
        value = node.this
        if isinstance(value, exp.Distinct) and len(value.expressions) == 2 and node.args.get("separator") is None:
            node.set("separator", value.expressions[1].copy())
            value.set("expressions", [value.expressions[0].copy()])


def _redshift_regexp_replace_every_match(tree: "exp.Expression", dialect: str) -> None:
    """Redshift's REGEXP_REPLACE replaces every match (docs.aws.amazon.com/redshift/latest/dg/REGEXP_REPLACE.html);
    sqlglot reads it back as DuckDB's regexp_replace without 'g', which replaces only the first."""
    from sqlglot import exp

    if dialect != "redshift":
        return
    for node in tree.find_all(exp.RegexpReplace):
        if node.args.get("modifiers") is None and node.args.get("position") is None:
            node.set("modifiers", exp.Literal.string("g"))


def _redshift_regexp_substr_group(tree: "exp.Expression", dialect: str) -> None:
    """Redshift REGEXP_SUBSTR(s, p, position, occurrence, 'e') returns the first subexpression
    (docs.aws.amazon.com/redshift/latest/dg/REGEXP_SUBSTR.html); sqlglot reads it back as the whole match."""
    from sqlglot import exp

    if dialect != "redshift":
        return
    for node in tree.find_all(exp.RegexpExtract):
        parameters = node.args.get("parameters")
        if isinstance(parameters, exp.Literal) and "e" in parameters.name:
            for key in ("position", "occurrence", "parameters"):
                node.set(key, None)
            node.set("group", exp.Literal.number(1))


_MODELS: tuple[Callable[["exp.Expression", str], None], ...] = (
    _integer_division_truncates, _redshift_integer_avg, _trino_split_part_null, _trino_date_trunc_of_date,
    _trino_extract_dow_is_iso, _redshift_varchar_max, _listagg_distinct_separator,
    _redshift_regexp_replace_every_match, _redshift_regexp_substr_group)


def arrow_catalog(tables: Mapping[str, "pa.Table"]) -> "GoldCatalog":
    """A catalog of in-memory tables (types through the one type map), so the translation knows column types."""
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.types import from_arrow

    built = []
    for name, table in tables.items():
        columns = []
        for field in table.schema:
            try:
                columns.append(Column(field.name, from_arrow(field.type), field.nullable, False))
            except ValueError:
                continue  # a type the map lacks: the column stays untyped, models leave it alone
        built.append(GoldTable(name=name, location=f"memory:{name}", columns=tuple(columns)))
    return GoldCatalog(tuple(built))


def to_duckdb(sql: str, dialect: str, catalog: "GoldCatalog", names: Mapping[str, str] | None = None) -> str:
    """`sql` (Athena or Redshift) as DuckDB SQL over bare gold names, with the engine's documented behaviours above
    restated. The engine-qualified names of `names` (bare -> qualified) are mapped back to the bare names."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError

    from toolkit.sql.compile import _annotate

    read = "trino" if dialect == "athena" else dialect
    try:
        tree = sqlglot.parse_one(sql, read=read)
    except ParseError as exc:
        raise OracleError(f"{dialect}: {first_line(exc)}") from None
    bare = {_plain(qualified): name for name, qualified in (names or {}).items()}
    for table in list(tree.find_all(exp.Table)):
        written = ".".join(part.name for part in table.parts).lower()
        if written in bare:
            table.set("this", exp.to_identifier(bare[written]))
            table.set("db", None)
            table.set("catalog", None)
    tree = _annotate(tree, read, catalog)
    for model in _MODELS:
        model(tree, dialect)
    from toolkit.sql.rules.render import duckdb_sql

    return duckdb_sql(tree)  # sqlglot's `x -> f(x)` lambdas are refused by DuckDB 2


def _plain(qualified: str) -> str:
    import sqlglot

    table = sqlglot.exp.to_table(qualified)
    return ".".join(part.name for part in table.parts).lower()


