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
