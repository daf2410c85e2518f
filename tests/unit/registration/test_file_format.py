"""The Snowflake Parquet file format: created with logical types on and binary as binary, and fixed when it drifted.

docs.snowflake.com "CREATE FILE FORMAT" (format type options, TYPE = PARQUET): BINARY_AS_TEXT defaults to TRUE and
USE_LOGICAL_TYPE is off unless set; with it off, a Parquet TIMESTAMP(isAdjustedToUTC=true, MILLIS/MICROS) reads as
TIMESTAMP_NTZ, and `::TIMESTAMP_TZ` then attaches the session's zone (account default America/Los_Angeles).
"CREATE FILE FORMAT … IF NOT EXISTS" leaves an existing format as it is; "ALTER FILE FORMAT … SET" changes its options.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from toolkit.engines.snowflake import parse_format_options
from toolkit.planning.actions import Plan
from toolkit.registration import statements
from toolkit.registration.desired import desired_snowflake, sf_resolved
from toolkit.registration.observed import ObservedIntegration, ObservedSnowflake, ObservedStage
from toolkit.registration.plan import plan_snowflake_objects
from toolkit.sql.ddl import check_snowflake

GOOD = {"TYPE": "PARQUET", "USE_LOGICAL_TYPE": "TRUE", "BINARY_AS_TEXT": "FALSE"}


def _registered(desired, options: dict[str, str]) -> ObservedSnowflake:
    tables = {sf_resolved(t.name): tuple((sf_resolved(c.name), c.type) for c in t.columns) for t in desired.tables}
    integration = ObservedIntegration("arn:aws:iam::1:role/r", desired.allowed_locations, True, "arn:aws:iam::1:user/x",
                                      "e")
    stage = ObservedStage(desired.stage_url, sf_resolved(desired.integration))
    return ObservedSnowflake(True, True, integration, True, stage, tables, file_format_options=options)


def test_the_file_format_is_created_with_logical_types_and_binary_as_binary(loaded, gold):
    sql = statements.snowflake("file_format", desired_snowflake(loaded, gold.sample))
    assert sql.splitlines()[0].startswith("CREATE FILE FORMAT IF NOT EXISTS ")
    assert "TYPE = PARQUET" in sql and "USE_LOGICAL_TYPE = TRUE" in sql and "BINARY_AS_TEXT = FALSE" in sql
    check_snowflake(sql)


def test_every_parquet_reader_names_the_file_format(loaded, gold):
    """The stage and each external table read through FEDKIT_PARQUET, never an inline `(TYPE = PARQUET)` that would
    fall back to the defaults."""
    desired = desired_snowflake(loaded, gold.sample)
    readers = [statements.snowflake("stage", desired)] + [statements.snowflake_table(desired, t) for t in desired.tables]
    for sql in readers:
        assert "FILE_FORMAT = (FORMAT_NAME = 'ANALYTICS.GOLD.FEDKIT_PARQUET')" in sql.replace('"', "")
        assert "TYPE = PARQUET" not in sql


def test_a_format_made_with_the_defaults_is_altered_in_place(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    (update,) = plan_snowflake_objects(desired, _registered(desired, {"TYPE": "PARQUET"}))
    assert (update.action, update.payload["op"]) == ("update", "alter_file_format")
    assert update.resource.startswith("snowflake_file_format/") and "drifted" in update.detail
    assert "- USE_LOGICAL_TYPE = FALSE\n+ USE_LOGICAL_TYPE = TRUE" in update.diff
    assert "- BINARY_AS_TEXT = TRUE\n+ BINARY_AS_TEXT = FALSE" in update.diff
    sql = update.payload["sql"]
    assert sql.startswith("ALTER FILE FORMAT ") and "OR REPLACE" not in sql and "USE_LOGICAL_TYPE = TRUE" in sql
    check_snowflake(sql)
    (shown,) = Plan((update,)).to_json()["actions"]
    assert shown["action"] == "update" and "USE_LOGICAL_TYPE = FALSE" in shown["detail"]


def test_only_the_option_that_drifted_is_shown(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    (update,) = plan_snowflake_objects(desired, _registered(desired, {**GOOD, "BINARY_AS_TEXT": "TRUE"}))
    assert "BINARY_AS_TEXT" in update.detail and "USE_LOGICAL_TYPE" not in update.detail


def test_a_format_with_the_right_options_plans_nothing(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    assert plan_snowflake_objects(desired, _registered(desired, GOOD)) == []
    # Other options (Snowflake reports every one) are not fedkit's business.
    assert plan_snowflake_objects(desired, _registered(desired, {**GOOD, "COMPRESSION": "AUTO"})) == []


def test_a_format_of_another_type_is_reported_not_altered(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    (drift,) = plan_snowflake_objects(desired, _registered(desired, {"TYPE": "CSV"}))
    assert drift.action == "drift" and "TYPE = CSV" in drift.detail and "cannot be altered" in drift.detail


def test_a_missing_format_is_created_not_altered(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    observed = replace(_registered(desired, {}), file_format=False)
    (create,) = plan_snowflake_objects(desired, observed)
    assert create.action == "create" and "USE_LOGICAL_TYPE = TRUE" in create.diff


@pytest.mark.parametrize("text, expected", [
    ('{"TYPE":"PARQUET","BINARY_AS_TEXT":true,"USE_LOGICAL_TYPE":false}',
     {"TYPE": "PARQUET", "BINARY_AS_TEXT": "TRUE", "USE_LOGICAL_TYPE": "FALSE"}),
    ('{"type": "parquet"}', {"TYPE": "PARQUET"}),
    ("not json", None), ("", None), (None, None), ("[1]", None),
])
def test_show_file_formats_options_are_read_from_their_json(text, expected):
    assert parse_format_options(text) == expected
