"""FORMAT_DATE / FORMAT_TIMESTAMP codes of a BigQuery source, as DuckDB strftime and Snowflake TO_CHAR pieces.

BigQuery's format elements (docs.cloud.google.com/bigquery/docs/reference/standard-sql/format-elements) follow C's
strftime; DuckDB's strftime agrees on the codes below (checked against ZetaSQL); Snowflake's TO_CHAR has elements
only for some of them (docs.snowflake.com/en/sql-reference/date-time-input-output#date-and-time-formats-in-conversion-
functions), so the others become expressions (day of year, ISO week and year, weekday numbers, full day names).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp

# Codes (after sqlglot's BigQuery reader: %F is already %Y-%m-%d, %T is %H:%M:%S) that DuckDB's strftime prints
# exactly as BigQuery does.
DUCKDB_SAME = frozenset("YmdHMSAaBbjUuwGVyIpW%")
# Codes Snowflake's TO_CHAR has an element for (sqlglot maps them: %Y -> YYYY, %b -> MON, %a -> DY ...).
SNOWFLAKE_TO_CHAR = frozenset("YymdHIMSBba")
SNOWFLAKE_COMPUTED = frozenset("AjVGuwUW%")
_TOKEN = re.compile(r"%(-?.)|([^%]+)")
# sqlglot rewrites some BigQuery codes on reading; name the code the author wrote.
_WRITTEN_AS = {"-d": "e"}


def _snowflake_piece(code: str, arg: "exp.Expression") -> "exp.Expression":
    from sqlglot import exp

    from toolkit.sql.rules.bigquery_source import _days_into_week, week_number
    from toolkit.sql.rules.dates import full_name_case

    def text(value: exp.Expression, width: int = 0) -> exp.Expression:
        cast = exp.cast(value, exp.DataType.build("VARCHAR"))
        if not width:
            return cast
        return exp.Pad(this=cast, expression=exp.Literal.number(width), fill_pattern=exp.Literal.string("0"),
                       is_left=True)

    if code == "%":
        return exp.Literal.string("%")
    if code == "A":
        return full_name_case(exp.Dayname(this=arg))
    if code == "j":
        return text(exp.DayOfYear(this=arg), 3)
    if code == "V":
        return text(exp.WeekOfYear(this=arg), 2)  # Snowflake WEEKISO
    if code == "G":
        return text(exp.Anonymous(this="YEAROFWEEKISO", expressions=[arg]))
    if code == "u":
        return text(exp.DayOfWeekIso(this=arg))
    if code == "w":
        return text(_days_into_week(arg, 0, "snowflake"))
    return text(week_number(arg, 0 if code == "U" else 1, "snowflake"), 2)  # %U Sunday-start weeks, %W Monday


def bigquery_format_codes(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """BigQuery FORMAT_DATE/FORMAT_TIMESTAMP codes such as %A, %j, %G-W%V, %U reach Snowflake's TO_CHAR untranslated
    (printed as the letters '%A') and %e becomes %-d (no padding). DuckDB's strftime keeps the codes it shares with
    BigQuery; on Snowflake, codes with a TO_CHAR element stay in TO_CHAR and the others are computed and
    concatenated (`TO_CHAR(d, 'yyyy') || '-W' || LPAD(WEEKISO(d), 2, '0')`). Any other code is refused, by name,
    as is a time zone argument other than UTC."""
    from sqlglot import exp

    allowed = DUCKDB_SAME if ctx.target == "duckdb" else SNOWFLAKE_TO_CHAR | SNOWFLAKE_COMPUTED
    for node in list(tree.find_all(exp.TimeToStr)):
        fmt = node.args.get("format")
        if not isinstance(fmt, exp.Literal) or not fmt.is_string:
            raise ctx.refuse(node, "a date format that is not a literal cannot be translated",
                             "a literal format string, e.g. FORMAT_DATE('%Y-%m', d)")
        zone = node.args.get("zone")
        if zone is not None and not (isinstance(zone, exp.Literal) and zone.this.upper() in ("UTC", "ETC/UTC")):
            raise ctx.refuse(node, "FORMAT_TIMESTAMP with a time zone argument has no faithful translation",
                             "FORMAT_DATE(fmt, DATE(ts, 'Area/City')) for the date in that zone, or EXTRACT(HOUR FROM "
                             "ts AT TIME ZONE 'Area/City')")
        tokens = [(m.group(1), m.group(2)) for m in _TOKEN.finditer(fmt.this)]
        codes = {code for code, _ in tokens if code is not None}
        bad = sorted("%" + _WRITTEN_AS.get(code, code) for code in codes - allowed)
        if bad:
            raise ctx.refuse(node, f"format code(s) {', '.join(bad)} have no exact equivalent",
                             "%Y %m %d %H %M %S %A %a %B %b %j %u %w %U %W %G %V, or EXTRACT(...) for the part")
        if ctx.target != "snowflake" or all(code is None or code in SNOWFLAKE_TO_CHAR for code, _ in tokens):
            continue
        node.replace(_snowflake_concat(node, tokens))
        ctx.note("format-codes", "format codes without a TO_CHAR element are computed (ISO week, day of year, ...)")
    return tree


def _snowflake_concat(node: "exp.TimeToStr", tokens: list[tuple[str | None, str | None]]) -> "exp.Expression":
    """TO_CHAR for runs of codes that have an element (with punctuation between them), expressions for the rest,
    literal text containing letters as string literals (a letter inside TO_CHAR's format could be an element)."""
    from sqlglot import exp

    pieces: list[exp.Expression] = []
    run = ""

    def flush() -> None:
        nonlocal run
        if run:
            has_code = "%" in run
            if has_code:
                chunk = exp.TimeToStr(this=node.this.copy(), format=exp.Literal.string(run))
                chunk.type = exp.DataType.build("VARCHAR")
                pieces.append(chunk)
            else:
                pieces.append(exp.Literal.string(run))
            run = ""

    for code, literal in tokens:
        if literal is not None:
            if re.search(r"[A-Za-z]", literal):
                flush()
                pieces.append(exp.Literal.string(literal))
            else:
                run += literal
        elif code in SNOWFLAKE_TO_CHAR:
            run += "%" + code
        else:
            flush()
            pieces.append(_snowflake_piece(code, node.this.copy()))
    flush()
    result = pieces[0]
    for piece in pieces[1:]:
        result = exp.DPipe(this=result, expression=piece, safe=True)
    result = exp.Paren(this=result) if len(pieces) > 1 else result
    result.type = exp.DataType.build("VARCHAR")
    return result
