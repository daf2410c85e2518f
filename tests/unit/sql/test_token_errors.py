"""Text that does not tokenize (an unclosed quote) is a syntax error with a line, a column and a one-line message."""

from __future__ import annotations

import pytest

from sqltest_catalog import sample_catalog
from toolkit.sql.compile import SqlSyntaxError, compile_query
from toolkit.sql.token_errors import token_problem


def _compile_error(sql: str, dialect: str = "duckdb") -> SqlSyntaxError:
    with pytest.raises(SqlSyntaxError) as info:
        compile_query(sql, source_dialect=dialect, engine="bigquery", catalog=sample_catalog())
    return info.value


def test_unclosed_string_points_at_its_opening_quote():
    error = _compile_error("SELECT channel\nFROM fact_sales\nWHERE status = 'open\nGROUP BY channel\n")
    assert (error.line, error.column) == (3, 16)
    assert "unterminated string: the ' opened here is never closed" in error.message
    assert "\n" not in error.message  # not sqlglot's multi-line context snippet


def test_doubled_quotes_and_comments_are_skipped():
    sql = "-- it's a comment\nSELECT 'it''s' AS a, /* don't */ \"channel\nFROM fact_sales"
    error = _compile_error(sql)
    assert (error.line, error.column) == (2, 34)
    assert "unterminated quoted identifier" in error.message


def test_backslash_escapes_follow_the_dialect():
    # Snowflake strings take backslash escapes: 'a\'b' is closed, the second string is not
    found = token_problem("SELECT 'a\\'b', 'c", "snowflake", None, None)
    assert (found.line, found.column) == (1, 16)
    # DuckDB strings do not: the backslash is a character and 'a\' closes
    assert token_problem("SELECT 'a\\', 'c", "duckdb", None, None).column == 14


def test_parse_errors_do_not_name_sqlglot_classes():
    error = _compile_error("SELECT a FROM fact_sales WHERE a > 1 AND AND b = 2")
    assert "<class" not in error.message and "sqlglot" not in error.message
    assert "missing for AND" in error.message
