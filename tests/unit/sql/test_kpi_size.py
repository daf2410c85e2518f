"""KPI files are bounded: over MAX_SQL_FILE_BYTES they are refused before parsing, by every reader."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.sql.kpi_files import MAX_SQL_FILE_BYTES, load_kpi_files, read_sql_text


def test_a_file_over_the_limit_is_refused_naming_file_and_limit(tmp_path: Path):
    path = tmp_path / "huge.sql"
    path.write_bytes(b"SELECT 1 AS x\n" + b"-- padding\n" * (MAX_SQL_FILE_BYTES // 11 + 1))
    started = time.monotonic()
    for read in (lambda: read_sql_text(path), lambda: load_kpi_files([tmp_path])):
        with pytest.raises(UsageError) as caught:
            read()
        assert caught.value.message.startswith(f"{path}: larger than the 1,000,000-byte limit for a SQL file")
        assert caught.value.exit_code == 2
    assert time.monotonic() - started < 2


def test_a_file_at_the_limit_is_read(tmp_path: Path):
    path = tmp_path / "big.sql"
    body = b"SELECT 1 AS x\n"
    path.write_bytes(body + b"-" * (MAX_SQL_FILE_BYTES - len(body)))
    assert len(read_sql_text(path)) == MAX_SQL_FILE_BYTES


def test_a_kpi_with_too_many_tokens_is_refused_with_the_reason(tmp_path: Path):
    from toolkit.sql.kpi_files import MAX_KPI_TOKENS, check_kpi_tokens

    values = ", ".join(str(i) for i in range(MAX_KPI_TOKENS // 2 + 1))
    path = tmp_path / "in_list.sql"
    path.write_text(f"SELECT 1 AS x FROM t WHERE a IN ({values})\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_kpi_files([path])
    assert caught.value.message.startswith(f"{path}: 20,012 SQL tokens, more than the 20,000 a KPI may have")
    assert caught.value.message.endswith("move long value lists into a gold table and join it")
    check_kpi_tokens("-- a long comment is not counted\n" * 30_000 + "SELECT 1", path)


def test_token_counting_stays_linear_on_unclosed_quotes_and_comments(tmp_path: Path):
    from toolkit.sql.kpi_files import check_kpi_tokens

    started = time.monotonic()
    for text in ("/*" * 400_000, "'" + "a" * 900_000, "x'" * 400_000, "\"" * 900_000):
        try:
            check_kpi_tokens(text, tmp_path / "k.sql")
        except UsageError:
            pass
    assert time.monotonic() - started < 2


def test_header_and_ref_scans_stay_linear_on_hostile_lines(tmp_path: Path):
    """Both were quadratic: a lazy header value before trailing spaces, and `ref('` rescanning a line for its quote
    (40,000 spaces in a header line took 8 s; 8,000 `ref('` in one SQL string 3.4 s)."""
    from sqltest_catalog import sample_catalog
    from sqltest_config import loaded_config

    from toolkit.sql.kpi_files import parse_header
    from toolkit.sql.refs import render_refs

    started = time.monotonic()
    header, _ = parse_header("-- description: a" + " " * 900_000 + "b\nSELECT 1", tmp_path / "k.sql")
    assert header["description"] == "a" + " " * 900_000 + "b"
    text = "SELECT \"" + "ref('" * 150_000 + "\" AS x FROM {{ ref('fact_sales') }}"
    assert render_refs(text, "duckdb", loaded_config(), catalog=sample_catalog()).endswith("FROM fact_sales")
    assert time.monotonic() - started < 2


def test_line_keeping_stays_linear_on_unclosed_expressions_in_raw_blocks():
    from toolkit.sql.refs import _keep_template_newlines

    started = time.monotonic()
    text = "{% raw %}" + "{{ " * 4990 + "{% endraw %}" + "x" * 900_000  # took 48 s with a regex per `{{`
    assert _keep_template_newlines(text) == text
    assert time.monotonic() - started < 2
    assert _keep_template_newlines("{# a\nb #}x {{ ref(\n'a') }}\n") == "\nx {{ ref( 'a') }}\n\n"


def test_a_long_bad_header_value_is_cut_short_in_the_message(tmp_path: Path):
    path = tmp_path / "k.sql"
    path.write_text("-- name: " + "-" * 500_000 + "\nSELECT 1\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_kpi_files([path])
    assert caught.value.message == (f"{path}:1: name: '{'-' * 60}'… (500,000 characters) is not a plain name "
                                    "(letters, digits, '_')")
