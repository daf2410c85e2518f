"""Pure registration planners: (desired, observed) -> actions. Observed == desired -> no action.

Drift: a table whose columns no longer match the Parquet schema is recreated (`replace`, CREATE OR REPLACE) only
when `replace=True` (`--replace`); otherwise it is reported as a `drift` action that apply leaves alone. A table whose
file selection differs from fedkit's (LOCATION/PATTERN, `uris`: `toolkit.registration.definitions`) is recreated
without the flag (why: `_recreate`).
Payloads carry what the target's `apply` needs: `op`, `sql` and the object's name.
Refreshing external tables is planned apart, after the S3 notifications (`toolkit.registration.freshness`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.planning.actions import Action
from toolkit.registration import definitions, statements
from toolkit.registration.desired import sf_resolved
from toolkit.registration.observed import column_differences

if TYPE_CHECKING:
    from toolkit.registration.desired import BigQueryDesired, SnowflakeDesired
    from toolkit.registration.observed import ObservedBigQuery, ObservedSnowflake

DRIFT = "drift"  # the verb of a report-only action (see toolkit.planning.actions.Verb)


def _drift_detail(kind: str, name: str, lines: list[str], replace_hint: bool = True) -> str:
    hint = "; rerun with --replace to recreate it" if replace_hint else ""
    return f"{kind} {name} has drifted from the Parquet schema: " + "; ".join(lines) + hint


# -- BigQuery -------------------------------------------------------------------------------------------------------
def plan_bigquery_connection(desired: "BigQueryDesired", observed: "ObservedBigQuery") -> list[Action]:
    resource = f"bigquery_connection/{desired.connection_ref}"
    if observed.connection is None:
        return [
            Action(
                "bigquery", "create", resource,
                f"AWS connection in {desired.location} assuming {desired.role_arn} (its identity is then trusted)",
                statements.bigquery_connection(desired),
                {"op": "create_connection", "location": desired.location, "connection_id": desired.connection_id,
                 "role_arn": desired.role_arn},
            )
        ]
    if observed.connection.iam_role_id != desired.role_arn:
        return [
            Action(
                "bigquery", "update", resource,
                f"connection assumes {observed.connection.iam_role_id}; set it to {desired.role_arn}",
                f"- iamRoleId: {observed.connection.iam_role_id}\n+ iamRoleId: {desired.role_arn}",
                {"op": "update_connection", "location": desired.location, "connection_id": desired.connection_id,
                 "role_arn": desired.role_arn},
            )
        ]
    return []


def plan_bigquery_tables(
    desired: "BigQueryDesired", observed: "ObservedBigQuery", replace: bool = False
) -> list[Action]:
    actions: list[Action] = []
    dataset = f"bigquery_dataset/{desired.dataset}"
    if observed.dataset_location is None:
        sql = statements.bigquery_dataset(desired)
        actions.append(Action("bigquery", "create", dataset, f"dataset in {desired.location}", sql,
                              {"op": "create_dataset", "sql": sql, "dataset": desired.dataset, "desired": desired}))
    elif observed.dataset_location.lower() != desired.location:
        actions.append(Action(
            "bigquery", DRIFT, dataset,
            f"dataset {desired.dataset} is in {observed.dataset_location}, not {desired.location}; a dataset's "
            "location cannot change: use another dataset name", "", {"op": "drift"}))
        return actions
    existing = {name.lower(): columns for name, columns in observed.tables.items()}
    for table in desired.tables:
        resource = f"bigquery_table/{desired.dataset}.{table.name}"
        columns = existing.get(table.name.lower())
        if columns is None:
            sql = statements.bigquery_table(desired, table)
            actions.append(Action("bigquery", "create", resource, f"BigLake table over {table.uris[0]}", sql,
                                  {"op": "create_table", "sql": sql, "table": table.name, "desired": desired, "spec": table}))
            continue
        lines = column_differences("bigquery", table.columns, columns)
        changes = definitions.bigquery_changes(table, _by_name(observed.definitions, table.name, str.lower))
        if not lines and not changes:
            continue
        sql = statements.bigquery_table(desired, table, replace=True)
        payload = {"op": "create_table", "sql": sql, "table": table.name, "replace": True, "desired": desired,
                   "spec": table}
        actions.append(_recreate("bigquery", resource, "table", table.name, lines, changes, replace, sql, payload))
    return actions


def _by_name(found: dict, name: str, fold) -> object:
    """`found[name]` where the engine reports names folded (`fold`: str.lower for BigQuery, sf_resolved for
    Snowflake)."""
    folded = {fold(key): value for key, value in found.items()}
    return folded.get(fold(name))


def _recreate(engine: str, resource: str, kind: str, name: str, lines: list[str],
              changes: list[tuple[str, str, str]], replace: bool, sql: str, payload: dict) -> Action:
    """The action for an existing table that differs from fedkit's definition.

    Columns that drifted from the Parquet are reported and recreated only with --replace (KPIs and views over the
    table may depend on the old columns: a person decides). A file selection that differs (LOCATION/PATTERN, `uris`)
    is recreated without --replace: fedkit owns it, the table's columns stay as they are, an external table holds no
    data to lose, and the old selection serves wrong rows (a decoy `returned_orders.parquet`, `_SUCCESS`). Terraform
    plans a replacement the same way when an attribute that cannot be updated in place changes.
    """
    if lines and not replace:
        detail = _drift_detail(kind, name, lines + ([f"it reads {definitions.describe(changes)}"] if changes else []))
        return Action(engine, DRIFT, resource, detail, "", {"op": "drift"})
    parts = []
    if lines:
        parts.append(_drift_detail(kind, name, lines, False))
    if changes:
        parts.append(f"{kind} {name} reads other files than fedkit defines: {definitions.describe(changes)}; "
                     "recreated (CREATE OR REPLACE: an external table holds no data, only its file list)")
    shown = (definitions.diff(changes) + "\n\n" + sql) if changes else sql
    return Action(engine, "replace", resource, "; ".join(parts), shown, payload)


# -- Snowflake ------------------------------------------------------------------------------------------------------
def plan_snowflake_integration(desired: "SnowflakeDesired", observed: "ObservedSnowflake") -> list[Action]:
    resource = f"snowflake_integration/{desired.integration}"
    current = observed.integration
    if current is None:
        sql = statements.snowflake("storage_integration", desired)
        return [Action("snowflake", "create", resource,
                       f"storage integration assuming {desired.role_arn} for {', '.join(desired.allowed_locations)}",
                       sql, {"op": "create_integration", "sql": sql, "desired": desired})]
    changes = []
    if current.role_arn != desired.role_arn:
        changes.append(f"- STORAGE_AWS_ROLE_ARN = {current.role_arn}\n+ STORAGE_AWS_ROLE_ARN = {desired.role_arn}")
    if tuple(sorted(current.allowed_locations)) != tuple(sorted(desired.allowed_locations)):
        changes.append(f"- STORAGE_ALLOWED_LOCATIONS = {', '.join(current.allowed_locations)}\n"
                       f"+ STORAGE_ALLOWED_LOCATIONS = {', '.join(desired.allowed_locations)}")
    if not current.enabled:
        changes.append("- ENABLED = FALSE\n+ ENABLED = TRUE")
    if not changes:
        return []
    sql = statements.snowflake("alter_integration", desired)
    return [Action("snowflake", "update", resource,
                   "integration altered in place (never replaced: its external id must not change)",
                   "\n".join(changes) + "\n\n" + sql, {"op": "alter_integration", "sql": sql, "desired": desired})]


def plan_snowflake_objects(
    desired: "SnowflakeDesired", observed: "ObservedSnowflake", replace: bool = False
) -> list[Action]:
    actions: list[Action] = []

    def create(resource: str, template: str, detail: str, op: str = "create_object") -> None:
        sql = statements.snowflake(template, desired)
        actions.append(Action("snowflake", "create", resource, detail, sql, {"op": op, "sql": sql, "desired": desired}))

    db, schema = desired.database, f"{desired.database}.{desired.schema}"
    if not observed.database:
        create(f"snowflake_database/{db}", "database", "database for the gold stage and external tables")
    if not observed.schema:
        create(f"snowflake_schema/{schema}", "schema", "schema for the gold stage and external tables")
    file_format = f"snowflake_file_format/{schema}.{desired.file_format}"
    if not observed.file_format:
        create(file_format, "file_format", "Parquet file format (logical types on, binary as binary)")
    else:
        actions.extend(plan_snowflake_file_format(desired, observed, file_format))
    stage_resource = f"snowflake_stage/{schema}.{desired.stage}"
    if observed.stage is None:
        create(stage_resource, "stage", f"external stage on {desired.stage_url} through {desired.integration}",
               op="create_stage")
    elif observed.stage.url != desired.stage_url or (
        observed.stage.integration and observed.stage.integration != sf_resolved(desired.integration)
    ):
        actions.append(Action(
            "snowflake", DRIFT, stage_resource,
            f"stage points at {observed.stage.url} through {observed.stage.integration}, expected "
            f"{desired.stage_url} through {desired.integration}; drop it (external tables depend on it) and rerun",
            "", {"op": "drift"}))
    existing = {name: columns for name, columns in observed.tables.items()}
    for table in desired.tables:
        resource = f"snowflake_external_table/{schema}.{table.name}"
        columns = existing.get(sf_resolved(table.name))
        wanted = tuple((c.name, c.type) for c in table.columns)
        if columns is None:
            sql = statements.snowflake_table(desired, table)
            actions.append(Action("snowflake", "create", resource,
                                  f"external table over {table.location}" + (" (auto-refresh)" if table.auto_refresh else ""),
                                  sql, {"op": "create_external_table", "sql": sql, "table": table.name,
                                   "desired": desired, "spec": table}))
            continue
        lines = column_differences("snowflake", wanted, columns)
        changes = definitions.snowflake_changes(desired, table, observed.definitions.get(sf_resolved(table.name)))
        if not lines and not changes:
            continue
        sql = statements.snowflake_table(desired, table, replace=True)
        payload = {"op": "create_external_table", "sql": sql, "table": table.name, "replace": True,
                   "desired": desired, "spec": table}
        actions.append(_recreate("snowflake", resource, "external table", table.name, lines, changes, replace, sql,
                                 payload))
    return actions


def plan_snowflake_file_format(
    desired: "SnowflakeDesired", observed: "ObservedSnowflake", resource: str
) -> list[Action]:
    """An existing file format whose Parquet options differ from fedkit's: `ALTER FILE FORMAT … SET` (an update).

    `CREATE FILE FORMAT IF NOT EXISTS` never touches an existing format, so a format made earlier (or by hand) with the
    defaults keeps reading UTC-adjusted timestamps as TIMESTAMP_NTZ. Its TYPE cannot be altered (docs.snowflake.com
    "ALTER FILE FORMAT"), so a format of another type is reported as drift for a person to resolve.
    """
    from toolkit.registration.desired import FILE_FORMAT_DEFAULTS, FILE_FORMAT_OPTIONS

    reported = observed.file_format_options
    if reported is None:
        return []

    def current(key: str) -> str:
        return str(reported.get(key, FILE_FORMAT_DEFAULTS.get(key, ""))).upper()

    if current("TYPE") != "PARQUET":
        return [Action("snowflake", DRIFT, resource,
                       f"file format {desired.file_format} has TYPE = {current('TYPE')}, not PARQUET, and a type cannot be "
                       "altered; drop it (the stage and external tables name it) and rerun", "", {"op": "drift"})]
    wrong = [(key, current(key), value) for key, value in FILE_FORMAT_OPTIONS if current(key) != value]
    if not wrong:
        return []
    sql = statements.snowflake("alter_file_format", desired)
    changes = "\n".join(f"- {key} = {have}\n+ {key} = {want}" for key, have, want in wrong)
    detail = ("file format has drifted: " + ", ".join(f"{key} = {have}" for key, have, _ in wrong)
              + "; altered in place (UTC-adjusted timestamps otherwise read as TIMESTAMP_NTZ)")
    return [Action("snowflake", "update", resource, detail, changes + "\n\n" + sql,
                   {"op": "alter_file_format", "sql": sql, "desired": desired})]

