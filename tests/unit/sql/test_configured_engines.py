"""`all` (and no --engines) means the engines the project configures: a Snowflake-only team is not told to add BigQuery."""

from __future__ import annotations

import pytest

from toolkit.engines.registry import configured_engines
from toolkit.errors import UsageError
from toolkit.sql.parity.runner import PARITY_ENGINES, parse_parity_engines
from toolkit.sql.suite import parse_compile_engines
from toolkit.sql.validate.runner import default_engines

from .sqltest_config import loaded_config


def test_configured_engines_follow_the_config_sections() -> None:
    assert configured_engines(loaded_config()) == ("bigquery", "snowflake", "duckdb")
    assert configured_engines(loaded_config(bigquery=None)) == ("snowflake", "duckdb")
    assert configured_engines(loaded_config(snowflake=None)) == ("bigquery", "duckdb")
    assert configured_engines(loaded_config(bigquery=None, snowflake=None)) == ("duckdb",)


@pytest.mark.parametrize("text", ["all", "ALL", ""])
def test_compile_all_is_every_configured_engine(text: str) -> None:
    assert parse_compile_engines(text, loaded_config(bigquery=None)) == ["snowflake", "duckdb"]
    assert parse_compile_engines(text, loaded_config(snowflake=None)) == ["bigquery", "duckdb"]


def test_compile_named_engines_are_kept_and_unknown_ones_refused() -> None:
    assert parse_compile_engines("bigquery", loaded_config(bigquery=None)) == ["bigquery"]  # compile names the gap
    with pytest.raises(UsageError, match="unknown engine 'oracle'"):
        parse_compile_engines("oracle", loaded_config())


def test_parity_default_and_all_are_the_configured_engines() -> None:
    snowflake_only = loaded_config(bigquery=None)
    assert parse_parity_engines(None, snowflake_only) == ("snowflake", "duckdb")
    assert parse_parity_engines("all", snowflake_only) == ("snowflake", "duckdb")
    assert parse_parity_engines("duckdb", snowflake_only) == ("duckdb",)
    assert parse_parity_engines(None) == PARITY_ENGINES  # no config at hand: every engine


def test_validate_uses_the_same_default() -> None:
    assert default_engines(loaded_config(snowflake=None)) == ("bigquery", "duckdb")
