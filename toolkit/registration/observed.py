"""What the engine adapters report exists (plain data), and the column comparison the drift check uses."""

from __future__ import annotations

from dataclasses import dataclass, field

Columns = tuple[tuple[str, str], ...]  # (name as the engine reports it, type as the engine reports it)


@dataclass(frozen=True)
class ObservedConnection:
    iam_role_id: str
    identity: str | None


@dataclass(frozen=True)
class BigQueryDefinition:
    """Which files an existing BigLake table reads (toolkit.registration.definitions)."""

    uris: tuple[str, ...]
    hive_prefix: str | None = None


@dataclass(frozen=True)
class SnowflakeDefinition:
    """Which files an existing external table reads: LOCATION as reported (`@DB.S.STAGE/path/`, or the resolved URL)
    and PATTERN; None where the engine did not say (not compared)."""

    location: str | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class ObservedBigQuery:
    dataset_location: str | None = None  # None: the dataset does not exist
    connection: ObservedConnection | None = None
    tables: dict[str, Columns] = field(default_factory=dict)
    # Each existing external table's file selection, by the same name as `tables` (a table missing here: not read).
    definitions: dict[str, BigQueryDefinition] = field(default_factory=dict)


@dataclass(frozen=True)
class ObservedIntegration:
    role_arn: str
    allowed_locations: tuple[str, ...]
    enabled: bool = True
    iam_user_arn: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class ObservedStage:
    url: str
    integration: str | None


@dataclass(frozen=True)
class ObservedSnowflake:
    database: bool = False
    schema: bool = False
    integration: ObservedIntegration | None = None
    file_format: bool = False
    stage: ObservedStage | None = None
    tables: dict[str, Columns] = field(default_factory=dict)  # external tables in the schema, by reported name
    # The existing file format's options as Snowflake reports them (upper-case name -> upper-case value, e.g.
    # USE_LOGICAL_TYPE -> FALSE); an option it does not report has its documented default. None: not read (the
    # adapters always read them; an observation built without them plans no option change).
    file_format_options: dict[str, str] | None = None
    # Each external table's LOCATION and PATTERN, by reported name (a table missing here: not read, not compared).
    definitions: dict[str, SnowflakeDefinition] = field(default_factory=dict)


# -- comparing columns ------------------------------------------------------------------------------------------------
def normalize_type(engine: str, text: str) -> str:
    """A comparable spelling of a type `engine` reports (its traits' `normalize_type`: upper case, no spaces, engine
    aliases folded, the parameters the drift check ignores dropped)."""
    from toolkit.engines.registry import traits

    return traits(engine).normalize_type(text)


def column_differences(engine: str, desired: Columns, observed: Columns) -> list[str]:
    """Human lines for every column added, removed or retyped (names compared case-insensitively)."""
    from toolkit.engines.registry import traits

    skip = traits(engine).pseudo_columns
    want = {name.lower(): (name, normalize_type(engine, kind)) for name, kind in desired}
    have = {name.lower(): (name, normalize_type(engine, kind)) for name, kind in observed if name.upper() not in skip}
    lines = []
    for key, (name, kind) in want.items():
        if key not in have:
            lines.append(f"column {name} ({kind}) is in the Parquet but not in the table")
        elif have[key][1] != kind:
            lines.append(f"column {name} is {have[key][1]} in the table but {kind} in the Parquet")
    for key, (name, kind) in have.items():
        if key not in want:
            lines.append(f"column {name} ({kind}) is in the table but no longer in the Parquet")
    return lines
