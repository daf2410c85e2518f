"""Names that come from the gold data itself (Parquet columns, table folders), kept apart from config names.

A config name may be written `"Quoted"` to keep its exact case on Snowflake (`toolkit.sql.ddl.sf_ident`). A name read
from the data never carries that meaning: a Parquet column literally named `"q"` is the three-character name, quotes
included. `ExactName` marks such names so the quoting filters know which rule applies; `GoldTable` and `Column` make
every name they hold one.

The checks below say what no engine can hold exactly: the gold reader refuses such names (exit 2, naming the file or
folder) before any command uses the catalog. Everything else is kept as it is, for the engines' quoting filters.
"""

from __future__ import annotations

from typing import Any


class ExactName(str):
    """A name that means exactly its text (from a Parquet footer or a folder), never a quoted config name."""

    __slots__ = ()


def exact(name: str) -> ExactName:
    return name if isinstance(name, ExactName) else ExactName(name)


# -- what no engine can hold exactly ----------------------------------------------------------------------------------
# Control, format (bidi overrides such as U+202E make a name read differently than it is), surrogate and line/paragraph
# separator characters: quoting would keep them, but every error line, plan diff and SQL comment would break on them.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# A table folder becomes a path in BigQuery's `uris` (`*` is its wildcard), DuckDB's `read_parquet` glob (`*`, `?`,
# `[...]`, with `\` as its escape) and, should a grant ever name it, an IAM resource (`*`, `?`, `${…}`): there it must
# mean only itself.
_PATTERN_CHARACTERS = frozenset("*?[]\\")


def name_problem(name: str) -> str | None:
    """Why no engine can hold `name` exactly (None when it can: quoting is the engines' job)."""
    if not name:
        return "is empty"
    if name != name.strip():
        return "has leading or trailing spaces"
    return invisible_problem(name)


def invisible_problem(text: str) -> str | None:
    """Names the first control or invisible character of `text` (None when there is none)."""
    import unicodedata

    for char in text:
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            return f"holds the control or invisible character U+{ord(char):04X}"
    return None


def path_problem(segment: str) -> str | None:
    """Why a table folder (or one segment of a declared table path) cannot be used as a literal S3/local path."""
    problem = name_problem(segment)
    if problem:
        return problem
    if segment in (".", ".."):
        return "is a relative path step (it would leave the folder it names)"
    special = "".join(sorted({char for char in segment if char in _PATTERN_CHARACTERS}))
    if special:
        return (f"holds {special!r}, which BigQuery URIs, DuckDB globs and IAM resources read as a pattern "
                "(the table would read other folders)")
    if "${" in segment:
        return "holds '${', which IAM reads as a policy variable"
    return None


def catalog_problem(catalog: Any) -> str | None:
    """The first name in `catalog` (a `GoldCatalog` that did not come from the gold reader, e.g. a `--catalog` JSON
    snapshot) that reading the Parquet would have refused; None when every name is acceptable."""
    tables: dict[str, str] = {}
    for table in catalog.tables:
        problem = path_problem(table.name)
        if problem:
            return f"table {table.name!r} {problem}"
        if table.name.lower() in tables:
            return f"tables {tables[table.name.lower()]!r} and {table.name!r} differ only by case"
        tables[table.name.lower()] = table.name
        columns: dict[str, str] = {}
        for column in table.columns:
            problem = name_problem(column.name)
            if problem:
                return f"table {table.name!r}: column {column.name!r} {problem}"
            if column.name.lower() in columns:
                return (f"table {table.name!r}: columns {columns[column.name.lower()]!r} and {column.name!r} differ "
                        "only by case")
            columns[column.name.lower()] = column.name
    return None


# -- what BigQuery external tables can read ---------------------------------------------------------------------------
# BigLake and other external tables take only classic column names: "External tables don't support flexible column names"
# (docs.cloud.google.com/bigquery/docs/external-tables, Limitations) and "Flexible column names are not supported with
# external tables" (docs.cloud.google.com/bigquery/docs/loading-data-cloud-storage-parquet, Flexible column names >
# Limitations). The classic rule and the reserved prefixes are that Parquet page's "Column name conversions";
# `_object_metadata` is "reserved for internal use" in external tables (external-tables page). Nested STRUCT field
# names are columns too. Snowflake and DuckDB quote any name exactly: the rule is BigQuery's alone.
BQ_COLUMN_MAX = 300
BQ_RESERVED_PREFIXES = ("_TABLE_", "_FILE_", "_PARTITION", "_ROW_TIMESTAMP", "__ROOT__", "_COLIDENTIFIER",
                        "_CHANGE_SEQUENCE_NUMBER", "_CHANGE_TYPE", "_CHANGE_TIMESTAMP")
BQ_RESERVED_NAMES = ("_OBJECT_METADATA",)
BQ_COLUMN_RULE = ("BigQuery external tables take no flexible column names: only letters a-z A-Z, digits and '_', "
                  f"starting with a letter or '_', at most {BQ_COLUMN_MAX} characters, no reserved prefix "
                  "(_TABLE_, _FILE_, _PARTITION, …)")


def bigquery_name_problem(name: str) -> str | None:
    """Why a BigQuery external table cannot hold a column (or STRUCT field) named `name`; None when it can."""
    import re

    upper = name.upper()
    if len(name) > BQ_COLUMN_MAX:
        return f"is longer than {BQ_COLUMN_MAX} characters"
    prefix = next((p for p in BQ_RESERVED_PREFIXES if upper.startswith(p)), None)
    if prefix:
        return f"starts with the reserved prefix {prefix}"
    if upper in BQ_RESERVED_NAMES:
        return "is reserved in external tables"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        if name[:1].isdigit():
            return "starts with a digit"
        others = sorted({char for char in name if not (char.isascii() and (char.isalnum() or char == "_"))})
        return "holds " + ", ".join(repr(char) for char in others[:5]) if others else "is empty"
    return None


def bigquery_column_problem(table: str, column: Any) -> str | None:
    """One line naming the table, the column (or partition key, or STRUCT field) and BigQuery's rule when a BigQuery
    external table cannot read `column` (a `Column`); None when it can. The caller adds the way out."""
    what = "partition key" if getattr(column, "partition", False) else "column"
    for path, name in _field_names(column.name, column.type):
        problem = bigquery_name_problem(name)
        if problem:
            shown = repr(column.name) + (f" (field {name!r})" if path != column.name else "")
            return f"table {table}: {what} {shown} {problem}; {BQ_COLUMN_RULE}"
    return None


def bigquery_table_problem(table: Any) -> str | None:
    """The first column of `table` (a `GoldTable`) a BigQuery external table cannot read, as `bigquery_column_problem`
    words it; None when BigQuery can read them all."""
    return next((p for p in (bigquery_column_problem(table.name, c) for c in table.columns) if p), None)


def _field_names(name: str, logical: Any, path: str | None = None) -> list[tuple[str, str]]:
    """(path, name) of a column and of every STRUCT field nested in it (through lists too)."""
    path = name if path is None else f"{path}.{name}"
    found = [(path, name)]
    for child_name, child in getattr(logical, "children", ()) or ():
        if getattr(logical, "kind", None) == "list":
            found += _field_names(child_name, child, path)[1:]  # a list's element has no name of its own
        else:
            found += _field_names(child_name, child, path)
    return found
