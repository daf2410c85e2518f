"""BigQuery Omni rules (DESIGN §5), checked on compiled BigQuery SQL and on BigQuery DDL (pure).

Omni reads BigLake tables in one `aws-*` location: no DML, no CREATE TABLE / CTAS (no managed storage), no
JavaScript UDFs, no BigQuery ML, and every table a query reads lives in the configured dataset (which lives in
the configured location), so a query can never join across locations.
"""

from __future__ import annotations

import re

from toolkit.sql.validate.model import Problem
from toolkit.sql.validate.positions import line_col

_ML_CALL = re.compile(r"\bML\s*\.\s*([A-Za-z_]+)\s*\(", re.IGNORECASE)
_JS_UDF = re.compile(r"\bLANGUAGE\s+js\b", re.IGNORECASE)
_DDL_ALLOWED = re.compile(
    r"^\s*CREATE\s+(OR\s+REPLACE\s+)?(SCHEMA|EXTERNAL\s+TABLE|VIEW)\b", re.IGNORECASE
)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/|\{#.*?#\}", re.DOTALL)
_LOCATION_OPTION = re.compile(r"\blocation\s*=\s*(['\"])(.*?)\1", re.IGNORECASE)


def query_problems(sql: str, *, project: str, dataset: str, location: str) -> list[Problem]:
    """Omni problems of one compiled BigQuery query; [] when it is an Omni-safe read."""
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    problems = text_problems(sql)
    try:
        statements = [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
    except (ParseError, TokenError):
        return problems  # the analyzer reports syntax with BigQuery's own message
    return problems + _statement_problems(statements, sql, project=project, dataset=dataset, location=location)


def text_problems(sql: str) -> list[Problem]:
    """The Omni rules that need no parse (BigQuery ML calls, JavaScript UDFs), positioned in `sql`; they hold in any
    dialect, so they also run on the source before compiling (a JS UDF file has two statements and won't compile)."""
    problems: list[Problem] = []
    sql = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), sql)  # same offsets, no comment text
    for match in _ML_CALL.finditer(sql):
        line, column = line_col(sql, match.start())
        problems.append(Problem(f"BigQuery Omni: BigQuery ML (ML.{match.group(1).upper()}) is not available on "
                                "BigLake tables in an Omni location", line, column))
    for match in _JS_UDF.finditer(sql):
        line, column = line_col(sql, match.start())
        problems.append(Problem("BigQuery Omni: JavaScript UDFs are not supported; use a SQL UDF or plain SQL",
                                line, column))
    return problems


def _statement_problems(statements: list, sql: str, *, project: str, dataset: str, location: str) -> list[Problem]:
    from sqlglot import exp

    problems: list[Problem] = []
    for statement in statements:
        kind = _write_kind(statement)
        if kind:
            problems.append(Problem(f"BigQuery Omni: {kind} is not supported (Omni tables are read-only BigLake "
                                    "tables; write results with EXPORT DATA to S3)", 1, 1,
                                    name=_first_word(sql)))
        ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
        for table in statement.find_all(exp.Table):
            if not table.name or (not table.args.get("db") and table.name.lower() in ctes):
                continue
            db, catalog = table.db, table.catalog
            if not db:
                continue  # a bare name: the analyzer says whether it exists
            outside = db.lower() != dataset.lower() or (catalog and catalog.lower() != project.lower())
            if outside:
                shown = ".".join(p for p in (catalog, db, table.name) if p)
                problems.append(Problem(
                    f"BigQuery Omni: table `{shown}` is outside the configured dataset `{project}.{dataset}` "
                    f"({location}); an Omni query reads tables of one location only (no cross-location joins)",
                    name=table.name,
                ))
    return problems


def _write_kind(statement: "object") -> str | None:
    from sqlglot import exp

    for kind, label in ((exp.Insert, "DML (INSERT)"), (exp.Update, "DML (UPDATE)"), (exp.Delete, "DML (DELETE)"),
                        (exp.Merge, "DML (MERGE)")):
        if isinstance(statement, kind):
            return label
    if isinstance(statement, exp.Create):
        created = str(statement.args.get("kind") or "").upper()
        if created == "TABLE":
            return "CREATE TABLE / CREATE TABLE AS SELECT into managed storage"
        if created == "MODEL":
            return "CREATE MODEL (BigQuery ML)"
        if created == "FUNCTION" and _JS_UDF.search(statement.sql(dialect="bigquery")):
            return None  # reported by the LANGUAGE js rule
    if isinstance(statement, exp.Command) and str(statement.this).upper() in ("TRUNCATE", "CALL"):
        return f"{str(statement.this).upper()}"
    return None


def _first_word(sql: str) -> str | None:
    match = re.search(r"[A-Za-z_]+", sql)
    return match.group(0) if match else None


def ddl_problems(sql: str, *, location: str) -> list[Problem]:
    """Omni problems of BigQuery registration DDL: only CREATE SCHEMA / EXTERNAL TABLE / VIEW, aws-* location."""
    problems: list[Problem] = []
    for offset, statement in _split_statements(sql):
        if not statement.strip():
            continue
        if not _DDL_ALLOWED.match(statement):
            words = " ".join(statement.split()[:3])
            line, column = line_col(sql, offset + len(statement) - len(statement.lstrip()))
            problems.append(Problem(f"BigQuery Omni: `{words} …` is not allowed; Omni registration uses only "
                                    "CREATE SCHEMA, CREATE EXTERNAL TABLE and views", line, column))
        for match in _LOCATION_OPTION.finditer(statement):
            value = match.group(2).lower()
            if not value.startswith("aws-") or value != location.lower():
                line, column = line_col(sql, offset + match.start(2))
                problems.append(Problem(f"BigQuery Omni: dataset location {match.group(2)!r} is not the configured "
                                        f"Omni location {location!r}", line, column))
    return problems


def _split_statements(sql: str) -> list[tuple[int, str]]:
    """(offset, text) of each statement, split on semicolons outside quotes (enough for generated DDL)."""
    parts, current, quote, start = [], [], None, 0
    for index, char in enumerate(sql):
        if quote:
            current.append(char)
            if char == quote:
                quote = None
            continue
        if char in "'\"`":
            quote = char
        if char == ";":
            parts.append((start, "".join(current)))
            current, start = [], index + 1
            continue
        current.append(char)
    parts.append((start, "".join(current)))
    return parts
