"""`all` (and no --engines) means the engines the project configures: a Snowflake-only team is not told to add BigQuery."""

from __future__ import annotations

import pytest

from toolkit.engines.registry import configured_engines, parse_engines
from toolkit.errors import UsageError
from toolkit.sql.parity.runner import PARITY_ENGINES
from toolkit.sql.validate.runner import default_engines

from .sqltest_config import loaded_config


def test_configured_engines_follow_the_config_sections() -> None:
    assert configured_engines(loaded_config()) == ("bigquery", "snowflake", "duckdb")
    assert configured_engines(loaded_config(bigquery=None)) == ("snowflake", "duckdb")
    assert configured_engines(loaded_config(snowflake=None)) == ("bigquery", "duckdb")
    assert configured_engines(loaded_config(bigquery=None, snowflake=None)) == ("duckdb",)


@pytest.mark.parametrize("text", ["all", "ALL", None])
def test_all_or_absent_is_every_configured_engine(text: str | None) -> None:
    assert parse_engines(text, loaded_config(bigquery=None)) == ("snowflake", "duckdb")
    assert parse_engines(text, loaded_config(snowflake=None)) == ("bigquery", "duckdb")


def test_named_engines_are_kept_and_unknown_ones_refused() -> None:
    assert parse_engines("bigquery", loaded_config(bigquery=None)) == ("bigquery",)  # compile names the gap
    assert parse_engines(["duckdb", " Snowflake", "duckdb"], loaded_config()) == ("duckdb", "snowflake")
    with pytest.raises(UsageError, match="--engine: unknown engine 'oracle'"):
        parse_engines("oracle", loaded_config(), option="--engine")


@pytest.mark.parametrize("text", ["", "  ", " , ,", []])
def test_an_empty_value_is_refused_not_taken_for_all(text) -> None:
    # `--engines "$UNSET_VAR"` in CI must not quietly run something other than what was asked
    with pytest.raises(UsageError, match="names no engine"):
        parse_engines(text, loaded_config())


def test_without_a_config_all_is_every_engine() -> None:
    assert parse_engines(None) == parse_engines("all") == PARITY_ENGINES


def test_validate_uses_the_same_default() -> None:
    assert default_engines(loaded_config(snowflake=None)) == ("bigquery", "duckdb")
