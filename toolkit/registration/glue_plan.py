"""Glue registration, the pure part: what the catalog holds (plain data) and the plan (desired minus observed).

The same decisions as the BigQuery/Snowflake planners (`toolkit.registration.plan`): columns that drifted from the
Parquet are a `drift` report unless `--replace`, which rewrites the table's definition (UpdateTable takes a whole
TableInput: the Glue counterpart of CREATE OR REPLACE; a catalog table holds no data); a definition that reads other
files (Location, SerDe, formats, table type) is rewritten without the flag, as `_recreate` does for LOCATION/`uris`.
Every hive folder in S3 that the catalog lacks is added (BatchCreatePartition), so a `gold publish` of a new month
is visible to Athena and Redshift Spectrum after the next apply (why registered partitions: `glue_desired`). A
partition whose folder is gone is left alone (it reads nothing; dropping partitions is not fedkit's to decide).
Orphans (fedkit's marker, gold table gone) follow `toolkit.registration.orphans`: a warning, or `delete` with --prune.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.planning.actions import Action
from toolkit.registration import orphans as orphan_rules
from toolkit.registration.glue_desired import MANAGED_PARAMETER, partition_value

if TYPE_CHECKING:
    from toolkit.registration.glue_desired import GlueDesired, GlueTableSpec

DRIFT = "drift"
ENGINE = "glue"


@dataclass(frozen=True)
class ObservedGlueTable:
    name: str
    description: str = ""
    parameters: dict[str, str] = field(default_factory=dict)
    table_type: str = ""
    columns: tuple[tuple[str, str], ...] = ()
    partition_keys: tuple[tuple[str, str], ...] = ()
    location: str = ""
    input_format: str = ""
    output_format: str = ""
    serde: str = ""

    @property
    def ours(self) -> bool:
        return self.parameters.get(MANAGED_PARAMETER[0]) == MANAGED_PARAMETER[1]


@dataclass(frozen=True)
class ObservedGlue:
    database: bool = False
    tables: dict[str, ObservedGlueTable] = field(default_factory=dict)  # by lower-case name
    partitions: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)  # registered, by table
    # The hive folders in S3, by table, as the folders spell the values (`%3A` for `:`)
    s3_partitions: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    # Each registered partition's (Location, columns), by table then values: a partition keeps its own column list,
    # which Athena checks against the table's (HIVE_PARTITION_SCHEMA_MISMATCH), so a --replace rewrites it too.
    partition_details: dict[str, dict[tuple[str, ...], tuple[str, tuple[tuple[str, str], ...]]]] = field(
        default_factory=dict)


def observed_table(entry: dict[str, Any]) -> ObservedGlueTable:
    """A GetTables/GetTable `Table` as plain data."""
    sd = entry.get("StorageDescriptor") or {}
    return ObservedGlueTable(
        name=str(entry.get("Name", "")).lower(),
        description=str(entry.get("Description", "")),
        parameters=dict(entry.get("Parameters") or {}),
        table_type=str(entry.get("TableType", "")),
        columns=tuple((str(c["Name"]), str(c.get("Type", ""))) for c in sd.get("Columns") or []),
        partition_keys=tuple((str(c["Name"]), str(c.get("Type", ""))) for c in entry.get("PartitionKeys") or []),
        location=str(sd.get("Location", "")),
        input_format=str(sd.get("InputFormat", "")),
        output_format=str(sd.get("OutputFormat", "")),
        serde=str((sd.get("SerdeInfo") or {}).get("SerializationLibrary", "")),
    )


def _type(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())


def column_differences(desired: "tuple[tuple[str, str], ...]", observed: "tuple[tuple[str, str], ...]",
                       what: str = "column") -> list[str]:
    """Human lines for every column added, removed or retyped (Glue names are lower case; types compared without
    spaces or case: `decimal(12, 2)` = `decimal(12,2)`)."""
    want = {n.lower(): _type(t) for n, t in desired}
    have = {n.lower(): _type(t) for n, t in observed}
    lines = [f"{what} {n} ({t}) is in the Parquet but not in the table" for n, t in want.items() if n not in have]
    lines += [f"{what} {n} is {have[n]} in the table but {t} in the Parquet" for n, t in want.items()
              if n in have and have[n] != t]
    lines += [f"{what} {n} ({t}) is in the table but no longer in the Parquet" for n, t in have.items() if n not in want]
    return lines


def definition_changes(spec: "GlueTableSpec", table: ObservedGlueTable) -> list[tuple[str, str, str]]:
    """(field, observed, desired) where the table reads other files or another format than fedkit defines."""
    wanted = spec.table_input()
    sd = wanted["StorageDescriptor"]
    pairs = [
        ("Location", table.location, sd["Location"]),
        ("TableType", table.table_type, wanted["TableType"]),
        ("InputFormat", table.input_format, sd["InputFormat"]),
        ("OutputFormat", table.output_format, sd["OutputFormat"]),
        ("SerializationLibrary", table.serde, sd["SerdeInfo"]["SerializationLibrary"]),
    ]
    return [(name, have, want) for name, have, want in pairs if have != want]


def _resource(desired: "GlueDesired", name: str, kind: str = "glue_table") -> str:
    return f"{kind}/{desired.database}.{name}"


def plan_glue(desired: "GlueDesired", observed: ObservedGlue, replace: bool = False) -> list[Action]:
    actions: list[Action] = []
    if not observed.database:
        actions.append(Action(ENGINE, "create", f"glue_database/{desired.database}",
                              "Glue database for the gold tables", "",
                              {"op": "create_database", "database": desired.database}))
    for spec in desired.tables:
        resource = _resource(desired, spec.name)
        current = observed.tables.get(spec.name)
        if current is None:
            actions.append(Action(ENGINE, "create", resource,
                                  f"external Parquet table over {spec.location}", _show(spec.table_input()),
                                  {"op": "create_table", "table": spec.name, "input": spec.table_input()}))
        else:
            lines = column_differences(spec.columns, current.columns)
            lines += column_differences(spec.partition_keys, current.partition_keys, "partition key")
            changes = definition_changes(spec, current)
            if lines or changes:
                actions.append(_rewrite(resource, spec, lines, changes, replace))
            if lines and replace:
                actions.extend(_retyped_partitions(desired, spec, observed))
        actions.extend(_new_partitions(desired, spec, observed))
    return actions


def _rewrite(resource: str, spec: "GlueTableSpec", lines: list[str], changes: list[tuple[str, str, str]],
             replace: bool) -> Action:
    reads = "; ".join(f"{name} is {have!r}, fedkit defines {want!r}" for name, have, want in changes)
    if lines and not replace:
        detail = (f"table {spec.name} has drifted from the Parquet schema: " + "; ".join(lines + ([reads] if reads else []))
                  + "; rerun with --replace to rewrite it")
        return Action(ENGINE, DRIFT, resource, detail, "", {"op": "drift"})
    parts = []
    if lines:
        parts.append(f"table {spec.name} has drifted from the Parquet schema: " + "; ".join(lines))
    if changes:
        parts.append(f"table {spec.name} reads other files than fedkit defines: {reads}; rewritten (a catalog table "
                     "holds no data, only its definition)")
    verb = "replace" if lines else "update"
    return Action(ENGINE, verb, resource, "; ".join(parts), _show(spec.table_input()),
                  {"op": "update_table", "table": spec.name, "input": spec.table_input()})


def _retyped_partitions(desired: "GlueDesired", spec: "GlueTableSpec", observed: ObservedGlue) -> list[Action]:
    """With --replace, the registered partitions whose column list differs from the rewritten table's get the table's
    columns (BatchUpdatePartition), each keeping its own folder."""
    details = observed.partition_details.get(spec.name, {})
    stale = sorted(values for values, (_, columns) in details.items() if column_differences(spec.columns, columns))
    if not stale:
        return []
    entries = [{"PartitionValueList": list(values),
                "PartitionInput": {"Values": list(values), "StorageDescriptor": spec.storage_descriptor(details[values][0])}}
               for values in stale]
    return [Action(ENGINE, "update", _resource(desired, spec.name, "glue_partitions"),
                   f"{len(stale)} registered partition(s) get the rewritten table's columns", "",
                   {"op": "update_partitions", "table": spec.name, "entries": entries})]


def _new_partitions(desired: "GlueDesired", spec: "GlueTableSpec", observed: ObservedGlue) -> list[Action]:
    if not spec.partition_keys:
        return []
    registered = observed.partitions.get(spec.name, frozenset())
    missing = sorted(folders for folders in observed.s3_partitions.get(spec.name, frozenset())
                     if tuple(map(partition_value, folders)) not in registered)
    if not missing:
        return []
    shown = ", ".join("/".join(f"{k}={v}" for k, v in zip(spec.path_keys, values)) for values in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return [Action(ENGINE, "create", _resource(desired, spec.name, "glue_partitions"),
                   f"{len(missing)} partition(s) found in S3: {shown}{more}", "",
                   {"op": "create_partitions", "table": spec.name,
                    "partitions": [spec.partition_input(values) for values in missing]})]


def _show(table_input: dict[str, Any]) -> str:
    import json

    return json.dumps(table_input, indent=2)


# -- orphans ------------------------------------------------------------------------------------------------------------
def glue_orphans(desired: "GlueDesired", observed: ObservedGlue) -> list[orphan_rules.ObservedTable]:
    """fedkit's Glue tables (description marker and `managed-by: fedkit` parameter) for gold tables that are gone."""
    marked = [orphan_rules.ObservedTable(t.name, t.description) for t in observed.tables.values() if t.ours]
    return orphan_rules.find_orphans(ENGINE, [t.name for t in desired.tables], marked)


def plan_glue_orphans(desired: "GlueDesired", observed: ObservedGlue, prune: bool) -> tuple[list[Action], list[str]]:
    found = glue_orphans(desired, observed)
    drop = {t.name: f"DeleteTable {desired.database}.{t.name}" for t in found}
    return orphan_rules.plan_orphans(ENGINE, desired.database, found, drop, prune)
