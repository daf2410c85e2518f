"""Which files an existing table reads, as its engine reports it, compared with fedkit's definition (pure).

Columns are not the whole definition: a table created by an older fedkit keeps its old file selection (Snowflake's
`PATTERN = '.*[.]parquet'`, BigQuery's `uris = ['…/t/*']`, which read `returned_orders.parquet`, `_SUCCESS`, …) while
its columns still match. The planner recreates such a table (`toolkit.registration.plan`).

Snowflake. SHOW EXTERNAL TABLES reports `location`, "External stage and folder path in the external table definition"
(https://docs.snowflake.com/en/sql-reference/sql/show-external-tables); that page lists no `pattern` column, so the
PATTERN is read from the statement GET_DDL('TABLE', …) returns, "a DDL statement that can be used to recreate the
specified object" (https://docs.snowflake.com/en/sql-reference/functions/get_ddl). The sandbox reads both from the
CREATE statement it recorded. ALTER EXTERNAL TABLE can only SET AUTO_REFRESH
(https://docs.snowflake.com/en/sql-reference/sql/alter-external-table): a new LOCATION or PATTERN means
CREATE OR REPLACE.
BigQuery. `tables.get` returns `externalDataConfiguration.sourceUris` and `hivePartitioningOptions.sourceUriPrefix`
(https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#ExternalDataConfiguration); the sandbox parses the
OPTIONS of the DDL it recorded. Changing `uris` needs CREATE OR REPLACE EXTERNAL TABLE as well.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.registration.observed import BigQueryDefinition, SnowflakeDefinition

if TYPE_CHECKING:
    from toolkit.registration.desired import BigQueryTableSpec, SnowflakeDesired, SnowflakeTableSpec


# -- reading DDL text ---------------------------------------------------------------------------------------------------
def _top_level_tokens(sql: str, dialect: str) -> list:
    """The statement's tokens outside parentheses (column definitions and FILE_FORMAT = (…) are skipped), or [] when
    the text cannot be tokenized."""
    import sqlglot
    from sqlglot.errors import SqlglotError
    from sqlglot.tokens import TokenType

    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except SqlglotError:
        return []
    depth, kept = 0, []
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(token)
    return kept


_SF_LOCATION = re.compile(r"""\s*=\s*(@(?:"(?:[^"]|"")*"|[^\s"])+)""")


def parse_snowflake_ddl(sql: str) -> SnowflakeDefinition:
    """LOCATION and PATTERN of a CREATE EXTERNAL TABLE statement (GET_DDL's, or the sandbox's record): None for what
    the text does not say, PATTERN "" when the statement has a LOCATION and no PATTERN. String literals are read by
    sqlglot's tokenizer, so a `pattern=` inside a column's expression (`SPLIT_PART(metadata$filename, '/pattern=', 2)`)
    is never taken for the table's PATTERN."""
    from sqlglot.tokens import TokenType

    tokens = _top_level_tokens(sql, "snowflake")
    location = pattern = None
    for i, token in enumerate(tokens):
        word = token.text.upper()
        if word == "PATTERN" and i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.EQ \
                and tokens[i + 2].token_type == TokenType.STRING and pattern is None:
            pattern = tokens[i + 2].text
        elif word == "LOCATION" and location is None:
            match = _SF_LOCATION.match(sql, token.end + 1)
            if match:
                location = match.group(1)
    if location is not None and pattern is None:
        pattern = ""  # a statement that was read and has no PATTERN reads every file under its LOCATION
    return SnowflakeDefinition(location=location, pattern=pattern)


def parse_bigquery_ddl(sql: str) -> BigQueryDefinition | None:
    """`uris` and `hive_partition_uri_prefix` from a CREATE EXTERNAL TABLE's OPTIONS (None: no `uris` found)."""
    import sqlglot
    from sqlglot.errors import SqlglotError
    from sqlglot.tokens import TokenType

    try:
        tokens = sqlglot.Dialect.get_or_raise("bigquery").tokenize(sql)
    except SqlglotError:
        return None
    uris: list[str] | None = None
    prefix = None
    for i, token in enumerate(tokens):
        word = token.text.lower()
        if i + 2 >= len(tokens) or tokens[i + 1].token_type != TokenType.EQ:
            continue
        if word == "uris" and uris is None and tokens[i + 2].token_type == TokenType.L_BRACKET:
            uris = []
            for item in tokens[i + 3:]:
                if item.token_type == TokenType.R_BRACKET:
                    break
                if item.token_type == TokenType.STRING:
                    uris.append(item.text)
        elif word == "hive_partition_uri_prefix" and tokens[i + 2].token_type == TokenType.STRING:
            prefix = tokens[i + 2].text
    return None if uris is None else BigQueryDefinition(tuple(uris), prefix)


# -- comparing ----------------------------------------------------------------------------------------------------------
def _stage_relative(location: str, desired: "SnowflakeDesired") -> tuple[str | None, str]:
    """(stage name as Snowflake stores it, folder below the stage URL) that a reported LOCATION names:
    `@DB.S."Stage"/a/b/` -> ("Stage", "a/b"); a resolved `s3://bucket/gold/a/b/` under the stage URL -> (None, "a/b");
    anything else -> (None, the text as reported), which differs from every folder fedkit defines."""
    text = location.strip()
    if text.startswith("@"):
        in_quotes, parts, start = False, [], 1
        for index, char in enumerate(text + "/"):
            if char == '"':
                in_quotes = not in_quotes
            elif char in "./" and not in_quotes and index > 0:
                parts.append(text[start:index])
                start = index + 1
                if char == "/":
                    return _stored(parts[-1]), text[index + 1:].strip("/")
        return None, text
    root = desired.stage_url.rstrip("/") + "/"
    if text.rstrip("/") + "/" == root:
        return None, ""
    return None, (text[len(root):].strip("/") if text.startswith(root) else text)


def _stored(identifier: str) -> str:
    """A quoted identifier without its quotes (doubled quotes undone); a bare one upper-cased: as Snowflake stores it."""
    if len(identifier) > 1 and identifier.startswith('"') and identifier.endswith('"'):
        return identifier[1:-1].replace('""', '"')
    return identifier.upper()


def snowflake_changes(desired: "SnowflakeDesired", table: "SnowflakeTableSpec",
                      observed: SnowflakeDefinition | None) -> list[tuple[str, str, str]]:
    """(property, as the table has it, as fedkit defines it) for LOCATION and PATTERN; what was not read is not
    compared."""
    from toolkit.registration.desired import sf_resolved
    from toolkit.sql.ddl import sf_stage_ref

    if observed is None:
        return []
    changes = []
    if observed.location is not None:
        stage, path = _stage_relative(observed.location, desired)
        if path != table.path.strip("/") or (stage is not None and stage != sf_resolved(desired.stage)):
            changes.append(("LOCATION", observed.location, sf_stage_ref(_fq_stage(desired), table.path)))
    if observed.pattern is not None and observed.pattern != table.pattern:
        changes.append(("PATTERN", observed.pattern, table.pattern))
    return changes


def _fq_stage(desired: "SnowflakeDesired") -> str:
    from toolkit.sql.ddl import sf_ident

    return ".".join(sf_ident(part) for part in (desired.database, desired.schema, desired.stage))


def bigquery_changes(table: "BigQueryTableSpec", observed: BigQueryDefinition | None) -> list[tuple[str, str, str]]:
    """(option, as the table has it, as fedkit defines it) for `uris` and `hive_partition_uri_prefix`."""
    if observed is None:
        return []
    changes = []
    if sorted(observed.uris) != sorted(table.uris):
        changes.append(("uris", _uris(observed.uris), _uris(table.uris)))
    have = (observed.hive_prefix or "").rstrip("/")
    want = (table.hive_prefix or "").rstrip("/")
    if have != want:
        changes.append(("hive_partition_uri_prefix", observed.hive_prefix or "(none)", table.hive_prefix or "(none)"))
    return changes


def _uris(uris: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{uri}'" for uri in uris) + "]"


def describe(changes: list[tuple[str, str, str]]) -> str:
    """`PATTERN '.*[.]parquet' → '^t/…$'` for a detail line."""
    return "; ".join(f"{key} {_shown(key, have)} → {_shown(key, want)}" for key, have, want in changes)


def diff(changes: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"- {key} = {_shown(key, have)}\n+ {key} = {_shown(key, want)}" for key, have, want in changes)


def _shown(key: str, value: str) -> str:
    """A PATTERN as the SQL string it is (an empty one: `(none)`); LOCATION, uris and prefixes as they read."""
    if not value:
        return "(none)"
    return f"'{value}'" if key == "PATTERN" else value
