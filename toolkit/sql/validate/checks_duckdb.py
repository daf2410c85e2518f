"""How `fedkit validate` checks SQL for DuckDB offline (reached through DuckDB's engine traits): `EXPLAIN` on a database
of empty gold tables (toolkit.sql.validate.local_engines), and DuckDB's own parser on a DuckDB-dialect source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.sql.validate.model import Problem

if TYPE_CHECKING:
    from toolkit.sql.validate.files import FileValidator


def offline_checker(validator: "FileValidator") -> Any:
    from toolkit.sql.validate.local_engines import DuckDBChecker

    return DuckDBChecker(validator.catalog, validator.table_names["duckdb"])


def native_parse(validator: "FileValidator", source: str) -> Problem | None:
    import duckdb

    parser = validator.resource("duckdb-parser", lambda: duckdb.connect(":memory:"))
    try:
        parser.extract_statements(source)
    except duckdb.Error as exc:
        from toolkit.sql.validate.local_engines import parser_problem

        return parser_problem(exc, source)
    return None
