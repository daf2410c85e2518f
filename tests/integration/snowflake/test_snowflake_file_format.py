"""The Parquet file format on the sandbox's Snowflake (fakesnow through the real connector).

fakesnow records the options a CREATE FILE FORMAT gives (SHOW FILE FORMATS, `format_options`) but has no ALTER FILE
FORMAT and no DESC FILE FORMAT: the sandbox adapter re-creates the format with the merged options, which is the state
an ALTER leaves on Snowflake (docs.snowflake.com "ALTER FILE FORMAT"; "CREATE FILE FORMAT", TYPE = PARQUET options).
"""

from __future__ import annotations

from toolkit.registration import statements
from toolkit.registration.desired import desired_snowflake
from toolkit.registration.plan import plan_snowflake_objects


def _desired(loaded):
    from toolkit.gold.schema import read_catalog

    return desired_snowflake(loaded, read_catalog(loaded, "s3"))


def _prepare(engine, desired) -> None:
    engine.create_object(statements.snowflake("database", desired))
    engine.create_object(statements.snowflake("schema", desired))


def test_a_new_format_is_observed_with_logical_types_on(sf_engine, sf_published):
    desired = _desired(sf_published)
    _prepare(sf_engine, desired)
    sf_engine.create_object(statements.snowflake("file_format", desired))
    options = sf_engine.observe_file_format(desired)
    assert options["TYPE"] == "PARQUET"
    assert (options["USE_LOGICAL_TYPE"], options["BINARY_AS_TEXT"]) == ("TRUE", "FALSE")
    plan = plan_snowflake_objects(desired, sf_engine.observe(desired))
    assert not [a for a in plan if a.resource.startswith("snowflake_file_format/")]


def test_a_bare_format_from_an_earlier_fedkit_is_altered_once(sf_engine, sf_published):
    """What main created before (bare `TYPE = PARQUET`): IF NOT EXISTS keeps it, so the plan alters it, and the next
    plan has nothing for it."""
    desired = _desired(sf_published)
    _prepare(sf_engine, desired)
    fq = f"{desired.database}.{desired.schema}.{desired.file_format}"
    sf_engine.execute(f"CREATE FILE FORMAT IF NOT EXISTS {fq} TYPE = PARQUET")
    sf_engine.create_object(statements.snowflake("file_format", desired))  # the new CREATE changes nothing
    assert sf_engine.observe_file_format(desired) == {"TYPE": "PARQUET"}
    (update,) = [a for a in plan_snowflake_objects(desired, sf_engine.observe(desired))
                 if a.resource.startswith("snowflake_file_format/")]
    assert update.action == "update" and "USE_LOGICAL_TYPE = FALSE" in update.detail
    sf_engine.alter_file_format(update.payload["sql"], desired)
    fixed = {"TYPE": "PARQUET", "USE_LOGICAL_TYPE": "TRUE", "BINARY_AS_TEXT": "FALSE"}
    assert sf_engine.observe_file_format(desired) == fixed
    assert not [a for a in plan_snowflake_objects(desired, sf_engine.observe(desired))
                if a.resource.startswith("snowflake_file_format/")]
