"""The DDL each registration step runs, rendered from `sql/ddl/<engine>/*.sql.j2` (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.registration.orphans import table_comment
from toolkit.sql.ddl import render

if TYPE_CHECKING:
    from toolkit.registration.desired import (
        BigQueryDesired,
        BigQueryTableSpec,
        SnowflakeDesired,
        SnowflakeTableSpec,
    )


# -- BigQuery -------------------------------------------------------------------------------------------------------
def bigquery_dataset(desired: "BigQueryDesired") -> str:
    return render("bigquery", "dataset", dataset=desired.dataset, location=desired.location)


def bigquery_table(desired: "BigQueryDesired", table: "BigQueryTableSpec", replace: bool = False) -> str:
    return render(
        "bigquery",
        "external_table",
        dataset=desired.dataset,
        table=table,
        connection=desired.connection_ref,
        max_staleness_minutes=desired.max_staleness_minutes,
        metadata_cache_mode=desired.metadata_cache_mode,
        replace=replace,
        description=table_comment(table.name),
    )


def bigquery_drop_table(desired: "BigQueryDesired", name: str) -> str:
    """`DROP EXTERNAL TABLE IF EXISTS` for an orphan (toolkit.registration.orphans)."""
    return render("bigquery", "drop_table", dataset=desired.dataset, table=name)


def bigquery_connection(desired: "BigQueryDesired") -> str:
    """Not DDL: the Connection API request, shown in the plan the way `bq mk --connection` would send it."""
    import json

    body = {"aws": {"accessRole": {"iamRoleId": desired.role_arn}}}
    return (
        f"POST https://bigqueryconnection.googleapis.com/v1/{desired.connection_parent}/connections"
        f"?connectionId={desired.connection_id}\n{json.dumps(body, indent=2)}"
    )


def bigquery_all(desired: "BigQueryDesired") -> list[tuple[str, str]]:
    statements = [(f"dataset/{desired.dataset}", bigquery_dataset(desired))]
    statements += [(f"table/{desired.dataset}.{t.name}", bigquery_table(desired, t)) for t in desired.tables]
    return statements


# -- Snowflake ------------------------------------------------------------------------------------------------------
def _names(desired: "SnowflakeDesired") -> dict[str, object]:
    from toolkit.registration.desired import FILE_FORMAT_OPTIONS

    return {
        "database": desired.database,
        "schema": desired.schema,
        "integration": desired.integration,
        "stage": desired.stage,
        "file_format": desired.file_format,
        "role_arn": desired.role_arn,
        "stage_url": desired.stage_url,
        "allowed_locations": desired.allowed_locations,
        "file_format_options": FILE_FORMAT_OPTIONS,
    }


def snowflake(template: str, desired: "SnowflakeDesired") -> str:
    """database | schema | storage_integration | alter_integration | file_format | alter_file_format | stage."""
    return render("snowflake", template, **_names(desired))


def snowflake_table(desired: "SnowflakeDesired", table: "SnowflakeTableSpec", replace: bool = False) -> str:
    return render("snowflake", "external_table", table=table, replace=replace, comment=table_comment(table.name),
                  **_names(desired))


def snowflake_drop_table(desired: "SnowflakeDesired", name: str) -> str:
    """`DROP EXTERNAL TABLE IF EXISTS` for an orphan (toolkit.registration.orphans)."""
    return render("snowflake", "drop_external_table", table=name, **_names(desired))


def snowflake_refresh(desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> str:
    """`ALTER EXTERNAL TABLE … REFRESH`: re-read the table's files (the manual form of AUTO_REFRESH)."""
    return render("snowflake", "refresh_external_table", table=table, **_names(desired))


def snowflake_all(desired: "SnowflakeDesired") -> list[tuple[str, str]]:
    statements = [
        (f"database/{desired.database}", snowflake("database", desired)),
        (f"schema/{desired.database}.{desired.schema}", snowflake("schema", desired)),
        (f"integration/{desired.integration}", snowflake("storage_integration", desired)),
        (f"file_format/{desired.file_format}", snowflake("file_format", desired)),
        (f"stage/{desired.stage}", snowflake("stage", desired)),
    ]
    statements += [(f"external_table/{t.name}", snowflake_table(desired, t)) for t in desired.tables]
    return statements
