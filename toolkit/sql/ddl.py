"""Registration DDL from templates (`sql/ddl/<engine>/*.sql.j2`): Jinja2 plus quoting filters built on sqlglot.

Templates render in fedkit's bounded sandbox (`toolkit.sql.safe_jinja`: no loader, only the names given here):
the file text is read and rendered as a string, and the Snowflake helpers `fq`, `partition_value` and
`sf_column_value` are Python functions passed as globals rather than an imported macro file.

Templates never paste a name or a value raw: every identifier goes through `bq_ident`/`sf_ident`, every string
through `bq_string`/`sf_string`, Parquet keys through `sf_value_path`, stage paths through `sf_stage_ref`. The
environment is strict (`StrictUndefined`: a missing variable is an error, not an empty string) and autoescape is
off (this is SQL, not HTML). Types are the type map's own text (`toolkit.types`), never user input.

`render_all(loaded, catalog)` is every statement that registers the gold catalog from nothing, per engine, in
the order it would run (the validator parses these; the planners render the same templates statement by statement).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.safe_jinja import Options

# sql/ddl in a checkout (toolkit/ddl_templates links to it); real files inside an installed wheel.
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "ddl_templates"
_SHIPPED_DIR = TEMPLATE_DIR  # where this fedkit's templates are, even when a test points TEMPLATE_DIR elsewhere
# A project's own templates, relative to where fedkit runs (like the config's paths): one there wins over fedkit's.
PROJECT_TEMPLATE_DIR = Path("sql") / "ddl"
PACKAGED_PREFIX = "fedkit:ddl/"  # how messages name a packaged template: never a path inside site-packages


def project_template_dir() -> Path | None:
    """The project's `sql/ddl`, or None when there is none or it is fedkit's own (a checkout's sql/ddl is the
    packaged templates themselves, not an override of them)."""
    own = Path.cwd() / PROJECT_TEMPLATE_DIR
    if not own.is_dir() or own.resolve() == _SHIPPED_DIR.resolve():
        return None
    return own


def template_file(engine: str, template: str) -> Path:
    """The project's `sql/ddl/<engine>/<template>.sql.j2` when it has one (the team's file wins), else fedkit's."""
    own = project_template_dir()
    path = own / engine / f"{template}.sql.j2" if own is not None else None
    return path if path is not None and path.is_file() else TEMPLATE_DIR / engine / f"{template}.sql.j2"


def shown_template(path: Path) -> str:
    """A template as messages name it: a file of the project (or of a fedkit checkout) relative to the working
    directory; one fedkit installed as `fedkit:ddl/<engine>/<name>`: its path inside site-packages means nothing to
    the reader, who cannot edit it (a project's sql/ddl/<engine>/<name>.sql.j2 overrides it)."""
    packaged = TEMPLATE_DIR.resolve()
    resolved = path.resolve()
    if resolved.is_relative_to(packaged) and not TEMPLATE_DIR.is_symlink():  # a symlink: a checkout's sql/ddl
        return PACKAGED_PREFIX + resolved.relative_to(packaged).as_posix()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# Snowflake's reserved keywords (docs: "Reserved & limited keywords"): an unquoted column may not use them.
SNOWFLAKE_RESERVED = frozenset(
    """ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS
    CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE
    FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN
    LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP
    REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST
    UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WINDOW WITH""".split()
)
_SF_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,254}$")
_SF_QUOTED_CONFIG = re.compile(r'^"([^"]{1,255})"$')
_STAGE_PATH_PLAIN = re.compile(r"^[A-Za-z0-9_=.\-/]*$")
# BigQuery quoted identifiers use string-literal escapes; a backtick, backslash or control character has no place in
# a BigQuery dataset, table or column name, so such names are refused rather than escaped.
_BQ_FORBIDDEN = re.compile(r"[`\\\x00-\x1f]")


# -- quoting filters --------------------------------------------------------------------------------------------------
def bq_ident(name: Any) -> str:
    """A BigQuery identifier, always backticked (`` `Odd Name` ``); UsageError for names BigQuery cannot hold."""
    from sqlglot import exp

    text = _name(name, "BigQuery")
    if _BQ_FORBIDDEN.search(text):
        raise UsageError(f"BigQuery name {text!r}: backticks, backslashes and control characters are not allowed")
    return exp.to_identifier(text, quoted=True).sql(dialect="bigquery")


def bq_string(value: Any) -> str:
    """A BigQuery string literal (`'s3://b/it\\'s'`)."""
    from sqlglot import exp

    return exp.Literal.string(str(value)).sql(dialect="bigquery")


def sf_is_plain(name: str) -> bool:
    """True when Snowflake resolves `name` unquoted (upper-cased): letters, digits, `_`, `$`, not a reserved word."""
    return bool(_SF_PLAIN.match(name)) and name.upper() not in SNOWFLAKE_RESERVED


def sf_ident(name: Any) -> str:
    """A Snowflake identifier: unquoted when plain (so it resolves case-insensitively), else double-quoted.

    A config name written as `"Quoted"` keeps its quotes (and its exact case); a name from the data (`ExactName`:
    Parquet columns, table folders) is always taken as it is, quotes included.
    """
    from sqlglot import exp

    from toolkit.gold.names import ExactName

    text = _name(name, "Snowflake")
    quoted = None if isinstance(name, ExactName) else _SF_QUOTED_CONFIG.match(text)
    if quoted:
        return exp.to_identifier(quoted.group(1), quoted=True).sql(dialect="snowflake")
    return exp.to_identifier(text, quoted=not sf_is_plain(text)).sql(dialect="snowflake")


def sf_string(value: Any) -> str:
    """A Snowflake string literal."""
    from sqlglot import exp

    return exp.Literal.string(str(value)).sql(dialect="snowflake")


def sf_value_path(key: Any) -> str:
    """The external table's `VALUE` element for a Parquet column, keeping the key's exact case.

    `value:"Order_ID"` (a double-quoted path key); a key containing `"` or `\\` uses the bracket form
    `value['we"ird']`, whose string literal has documented escapes (docs.snowflake.com: "Querying semi-structured data",
    bracket notation; "String & binary data types", escape sequences in single-quoted string constants), where a
    double-quoted key has none for them.
    """
    from sqlglot import exp

    text = _name(key, "Parquet column")
    if '"' in text or "\\" in text:
        return "value[" + exp.Literal.string(text).sql(dialect="snowflake") + "]"
    return "value:" + exp.to_identifier(text, quoted=True).sql(dialect="snowflake")


def sf_stage_ref(stage: str, path: str) -> str:
    """`@DB.SCHEMA.STAGE/path/`, always bare: an external table's LOCATION takes no string literal (docs.snowflake.com
    "CREATE EXTERNAL TABLE", LOCATION: "Neither string literals nor SQL variables are supported"). The planner cuts the
    path short where it cannot be spelled bare and lets PATTERN name the rest (`toolkit.registration.files`); a path
    that still cannot be spelled is refused here rather than quoted into DDL Snowflake would reject."""
    if not _STAGE_PATH_PLAIN.match(path):
        raise UsageError(f"stage path {path!r} cannot be written in an external table's LOCATION (no quoting there)")
    return f"@{stage}/{path.strip('/')}/" if path.strip("/") else f"@{stage}/"


# Redshift: a delimited identifier is double-quoted, a quote inside written twice; a string literal single-quoted,
# a quote inside written twice (docs.aws.amazon.com/redshift/latest/dg/r_names.html). Backslashes and control
# characters have no place in the names and ARNs fedkit writes, so they are refused rather than escaped.
_RS_FORBIDDEN = re.compile(r"[\\\x00-\x1f]")


def rs_ident(name: Any) -> str:
    """A Redshift identifier, always double-quoted (`"gold_spectrum"`)."""
    text = _name(name, "Redshift")
    if _RS_FORBIDDEN.search(text) or len(text.encode()) > 127:
        raise UsageError(f"Redshift name {text!r}: backslashes, control characters or more than 127 bytes")
    return '"' + text.replace('"', '""') + '"'


def rs_string(value: Any) -> str:
    """A Redshift string literal (`'arn:aws:iam::1:role/r'`)."""
    text = str(value)
    if _RS_FORBIDDEN.search(text):
        raise UsageError(f"Redshift string {text!r}: backslashes and control characters are not allowed")
    return "'" + text.replace("'", "''") + "'"


def bq_interval(minutes: int) -> str:
    """`INTERVAL 4 HOUR` style literal for `max_staleness` (the largest whole unit)."""
    minutes = int(minutes)
    if minutes % (24 * 60) == 0:
        return f"INTERVAL {minutes // (24 * 60)} DAY"
    if minutes % 60 == 0:
        return f"INTERVAL {minutes // 60} HOUR"
    return f"INTERVAL {minutes} MINUTE"


def _name(value: Any, engine: str) -> str:
    text = str(value)
    if not text or text != text.strip():
        raise UsageError(f"{engine} name {text!r}: empty, or leading/trailing spaces")
    return text


# -- rendering --------------------------------------------------------------------------------------------------------
FILTERS = {
    "bq_ident": bq_ident,
    "bq_string": bq_string,
    "bq_interval": bq_interval,
    "sf_ident": sf_ident,
    "sf_string": sf_string,
    "sf_value_path": sf_value_path,
    "rs_ident": rs_ident,
    "rs_string": rs_string,
}


@lru_cache(maxsize=1)
def environment() -> "Options":
    """How the DDL templates are written and rendered: trimmed blocks, the quoting filters (see safe_jinja for the
    sandbox). Cached; a test that points TEMPLATE_DIR elsewhere clears it."""
    from toolkit.sql.safe_jinja import Options

    return Options(filters=tuple(FILTERS.items()), trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def fq(context: dict[str, Any], name: Any) -> str:
    """DATABASE.SCHEMA.NAME, every part through sf_ident (the templates' `fq(name)`)."""
    return ".".join(sf_ident(part) for part in (context["database"], context["schema"], name))


def partition_value(column: Any) -> str:
    """A Snowflake partition column's value, read from the file path's hive `key=value` folder and typed."""
    raw = f"SPLIT_PART(SPLIT_PART(metadata$filename, {sf_string(column.partition_key)}, 2), '/', 1)"
    if column.nullable_partition:
        raw = f"NULLIF({raw}, {sf_string('__HIVE_DEFAULT_PARTITION__')})"
    if column.kind == "date":
        return f"TO_DATE({raw})"
    if column.kind == "string":
        return raw
    return f"{raw}::{column.type}"


def sf_column_value(column: Any) -> str:
    """A Snowflake external table data column's value: its `VALUE` element typed so that instants stay instants."""
    from toolkit.types import LogicalType, snowflake_value

    if getattr(column, "int96", False):
        return snowflake_value(sf_value_path(column.name), LogicalType(column.kind, int96=True))
    return f"{sf_value_path(column.name)}::{column.type}"


def _globals(context: dict[str, Any]) -> dict[str, Any]:
    """The functions templates may call: trusted Python passed as names (no macro file, no loader)."""
    return {
        "sf_stage_ref": sf_stage_ref,
        "fq": lambda name: fq(context, name),
        "partition_value": partition_value,
        "sf_column_value": sf_column_value,
    }


def render(engine: str, template: str, **context: Any) -> str:
    """Render `sql/ddl/<engine>/<template>.sql.j2` (the project's, else fedkit's); stripped of surrounding blank
    lines."""
    from toolkit.sql import safe_jinja
    from toolkit.sql.kpi_files import read_sql_text

    path = template_file(engine, template)
    if not path.is_file():
        raise UsageError(f"no DDL template {engine}/{template}.sql.j2 in {PROJECT_TEMPLATE_DIR} nor in fedkit's own")
    text = safe_jinja.render(read_sql_text(path), shown_template(path), {**_globals(context), **context},
                             environment())
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def render_all(loaded: "LoadedConfig", catalog: "GoldCatalog",
               engines: tuple[str, ...] | None = None) -> dict[str, list[tuple[str, str]]]:
    """engine -> [(object name, DDL)] that registers `catalog` from nothing, in execution order.

    Only configured engines (of `engines`; None: every engine that registers tables) appear. The BigQuery connection is
    an API call, not DDL, so it is not listed.
    """
    from toolkit.engines.registry import configured_engines, traits

    return {engine: traits(engine).registration_ddl(loaded, catalog) for engine in configured_engines(loaded)
            if traits(engine).registers_tables and (engines is None or engine in engines)}


# -- checking rendered DDL --------------------------------------------------------------------------------------------
def check_snowflake(sql: str) -> None:
    """Parse `sql` with sqlglot's Snowflake parser: one statement, fully understood (not an opaque Command).

    `ALTER STORAGE INTEGRATION … SET`, `ALTER FILE FORMAT … SET`, `ALTER EXTERNAL TABLE … REFRESH` and `DROP EXTERNAL
    TABLE [IF EXISTS] …` are the statements sqlglot keeps as a Command; they are accepted by shape (the table's name
    must still parse).
    CheckFailed names the first line of the statement and the parser's message.
    """
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError, TokenError

    from toolkit.errors import CheckFailed
    from toolkit.sql.quiet import quiet_sqlglot

    head = sql.strip().splitlines()[0] if sql.strip() else "(empty)"
    try:
        with quiet_sqlglot():  # the Command fallback warning is handled below
            statements = [s for s in sqlglot.parse(sql, read="snowflake", error_level=ErrorLevel.RAISE) if s is not None]
    except (ParseError, TokenError) as exc:
        raise CheckFailed(f"Snowflake DDL does not parse ({head}): {str(exc).splitlines()[0]}")
    if len(statements) != 1:
        raise CheckFailed(f"Snowflake DDL must be one statement, got {len(statements)} ({head})")
    statement = statements[0]
    if isinstance(statement, exp.Command):
        if re.match(r"^\s*ALTER\s+STORAGE\s+INTEGRATION\s+\S+\s+SET\s", sql, re.IGNORECASE):
            return
        if re.match(r"^\s*ALTER\s+FILE\s+FORMAT\s+\S+\s+SET\s+\w+\s*=", sql, re.IGNORECASE):
            return
        if _is_external_table_refresh(sql) or _is_external_table_drop(sql):
            return
        raise CheckFailed(f"Snowflake DDL is not understood by the parser ({head})")


_REFRESH_RE = re.compile(r"^\s*ALTER\s+EXTERNAL\s+TABLE\s+(?P<name>.+?)\s+REFRESH(?:\s+'(?:[^']|'')*')?\s*;?\s*$",
                         re.IGNORECASE | re.DOTALL)


def _is_external_table_refresh(sql: str) -> bool:
    """`ALTER EXTERNAL TABLE <name> REFRESH ['path']`, which sqlglot keeps as a Command: accepted by shape once the
    name parses as a (qualified) Snowflake table name on its own."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    match = _REFRESH_RE.match(sql)
    if not match:
        return False
    try:
        table = sqlglot.parse_one(match.group("name"), into=exp.Table, read="snowflake")
    except (ParseError, TokenError):
        return False
    return isinstance(table, exp.Table) and bool(table.name)


_DROP_RE = re.compile(r"^\s*DROP\s+EXTERNAL\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?P<name>.+?)\s*;?\s*$",
                      re.IGNORECASE | re.DOTALL)


def _is_external_table_drop(sql: str) -> bool:
    """`DROP EXTERNAL TABLE [IF EXISTS] <name>` (docs.snowflake.com "DROP EXTERNAL TABLE"), a Command to sqlglot:
    accepted by shape once the name parses as a (qualified) Snowflake table name on its own."""
    match = _DROP_RE.match(sql)
    return bool(match) and _table_name_parses(match.group("name"))


def _table_name_parses(text: str) -> bool:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        table = sqlglot.parse_one(text, into=exp.Table, read="snowflake")
    except (ParseError, TokenError):
        return False
    return isinstance(table, exp.Table) and bool(table.name)


def check_bigquery(sql: str) -> None:
    """Parse `sql` with ZetaSQL (BigQuery's front end); CheckFailed with BigQuery's message and position."""
    from toolkit.errors import CheckFailed
    from toolkit.sql.zetasql_service import ZetaSQL

    error = ZetaSQL.get().parse(sql)
    if error is not None:
        head = sql.strip().splitlines()[0] if sql.strip() else "(empty)"
        raise CheckFailed(f"BigQuery DDL does not parse ({head}): {error}")
