"""When a Snowflake external table must be refreshed (`ALTER EXTERNAL TABLE … REFRESH`): a pure planner.

An external table reads only the files in its metadata. Snowflake syncs that metadata at creation, on S3 event
notifications (AUTO_REFRESH) and on a manual REFRESH ("ALTER EXTERNAL TABLE", REFRESH parameter:
https://docs.snowflake.com/en/sql-reference/sql/alter-external-table). fedkit refreshes a table once per run when:

- the run wired (or rewired) the S3 event notifications Snowflake listens on: files that landed between the table's
  creation and the wiring are never notified ("Refreshing external tables automatically for Amazon S3", step
  "Manually refresh external table metadata": https://docs.snowflake.com/en/user-guide/tables-external-s3);
- the run recreated the table (`--replace`, or a file selection that changed: `toolkit.registration.definitions`),
  for the same reason;
- the table is stale: the newest S3 `LastModified` among the files it reads (its PATTERN under its LOCATION,
  `toolkit.engines.s3_files`) is later than SHOW EXTERNAL TABLES' `last_refreshed_on` ("when the metadata ... was
  last synchronized ..., either manually or automatically":
  https://docs.snowflake.com/en/sql-reference/sql/show-external-tables), whatever its AUTO_REFRESH (an event can be
  lost, and a table without AUTO_REFRESH is only ever refreshed this way). A deleted file changes no `LastModified`:
  only notifications or the next refresh remove it. The sandbox compares its copy's exact file list instead (`changed`).

A refresh is an `update` action of `snowflake_external_table/…` whose detail starts with `refresh:` (the plan JSON's
verbs stay create|update|replace|delete). Auto-refresh from S3 events exists only for Snowflake accounts hosted on
AWS: `check_auto_refresh_host` refuses it elsewhere, before any change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Iterable

from toolkit.errors import UsageError
from toolkit.planning.actions import Action
from toolkit.registration import statements
from toolkit.registration.desired import sf_resolved

if TYPE_CHECKING:
    from toolkit.registration.desired import SnowflakeDesired, SnowflakeTableSpec

REFRESH_PREFIX = "refresh: "
REFRESH_DETAIL = "refresh: files changed in S3 since the last load (emulates AUTO_REFRESH)"
WIRED_DETAIL = ("refresh: once after the S3 event notifications are wired (files that landed before the wiring are "
                "never notified)")
REPLACED_DETAIL = ("refresh: once after --replace recreated the table (or a new file selection did) and its "
                   "notifications are wired")


@dataclass(frozen=True)
class Freshness:
    """What the adapters read about one registered table's metadata and its files in S3."""

    last_refreshed_on: datetime | None = None  # SHOW EXTERNAL TABLES (None: never, or not reported)
    newest_file: datetime | None = None  # the latest LastModified among the files the table reads
    files: int = 0  # files the table reads now (PATTERN under LOCATION)
    changed: str | None = None  # sandbox only: what changed since its copy was loaded ("" = changed, no details)


@dataclass(frozen=True)
class ObservedRefresh:
    tables: dict[str, Freshness] = field(default_factory=dict)  # registered tables, by the name Snowflake stores
    wired: bool = False  # this run wires or rewires Snowflake's S3 event notifications
    recreated: frozenset[str] = frozenset()  # tables (config names) this run creates or replaces
    replaced: frozenset[str] = frozenset()  # of those, the ones --replace recreates
    drifted: frozenset[str] = frozenset()  # resources reported as drift this run: no refresh until --replace


def _utc(stamp: datetime) -> datetime:
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=timezone.utc)


def _when(stamp: datetime) -> str:
    return _utc(stamp).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def stale_reason(freshness: Freshness) -> str | None:
    """Why the table's metadata misses files, or None when it is current."""
    if freshness.changed is not None:
        return REFRESH_DETAIL.replace("(", f"({freshness.changed}; ", 1) if freshness.changed else REFRESH_DETAIL
    if freshness.newest_file is None:
        return None
    if freshness.last_refreshed_on is None:
        return (f"refresh: never refreshed (SHOW EXTERNAL TABLES has no last_refreshed_on) and {freshness.files} "
                f"file(s) in S3, the newest from {_when(freshness.newest_file)}")
    if _utc(freshness.newest_file) > _utc(freshness.last_refreshed_on):
        return (f"refresh: stale, a file in S3 is from {_when(freshness.newest_file)}, after the last refresh at "
                f"{_when(freshness.last_refreshed_on)}")
    return None


def run_changes(actions: Iterable[Action]) -> tuple[bool, frozenset[str], frozenset[str], frozenset[str]]:
    """(wired, created or replaced tables, replaced tables, drifted resources) from the actions this run planned or
    applied before.

    Wired: an S3 notification change that adds, alters or removes a queue entry (Snowflake's channel is an SQS queue).
    Every auto-refreshed table is then refreshed once: REFRESH only syncs metadata, and which entry serves which table
    is the notification planner's business.
    """
    wired, created, replaced, drifted = False, set(), set(), set()
    for action in actions:
        payload = action.payload
        if action.action == "drift":
            drifted.add(action.resource)
        elif payload.get("op") == "put_bucket_notification_configuration":
            before = (payload.get("Observed") or {}).get("QueueConfigurations", [])
            after = (payload.get("NotificationConfiguration") or {}).get("QueueConfigurations", [])
            wired = wired or _entries(before) != _entries(after)
        elif payload.get("op") == "create_external_table" and payload.get("table") is not None:
            created.add(payload["table"])
            if action.action == "replace":
                replaced.add(payload["table"])
    return wired, frozenset(created), frozenset(replaced), frozenset(drifted)


def _entries(entries: list[dict]) -> set[str]:
    import json

    return {json.dumps(e, sort_keys=True, default=str) for e in entries}


def plan_snowflake_refresh(desired: "SnowflakeDesired", observed: ObservedRefresh) -> list[Action]:
    """At most one refresh per table, for the reasons in the module docstring (first reason wins).

    A table whose columns drifted from the Parquet is left alone until `--replace` recreates it (its columns no longer
    read the files; the sandbox would even reload it with the new columns and hide the drift).
    """
    actions = []
    schema = f"{desired.database}.{desired.schema}"
    for table in desired.tables:
        freshness = observed.tables.get(sf_resolved(table.name))
        resource = f"snowflake_external_table/{schema}.{table.name}"
        exists = freshness is not None or table.name in observed.recreated
        if not exists or resource in observed.drifted:
            continue
        if table.name in observed.replaced:
            reason = REPLACED_DETAIL
        elif observed.wired and table.auto_refresh:
            reason = WIRED_DETAIL
        elif freshness is not None and table.name not in observed.recreated:
            reason = stale_reason(freshness)  # a table created this run was read at creation (REFRESH_ON_CREATE)
        else:
            reason = None
        if reason:
            actions.append(_refresh(desired, table, resource, reason))
    return actions


def _refresh(desired: "SnowflakeDesired", table: "SnowflakeTableSpec", resource: str, detail: str) -> Action:
    sql = statements.snowflake_refresh(desired, table)
    return Action("snowflake", "update", resource, detail, sql,
                  {"op": "refresh_external_table", "sql": sql, "table": table.name, "desired": desired, "spec": table})


# -- where auto-refresh can work ---------------------------------------------------------------------------------------
REGION_QUERY = "SELECT CURRENT_REGION() AS REGION"


def account_cloud(region: str) -> str:
    """`AWS_US_EAST_1` -> `AWS`; `PUBLIC.AZURE_WESTEUROPE` (an organization spanning region groups) -> `AZURE`
    (CURRENT_REGION: https://docs.snowflake.com/en/sql-reference/functions/current_region)."""
    return region.strip().rsplit(".", 1)[-1].split("_", 1)[0].upper()


def check_auto_refresh_host(desired: "SnowflakeDesired", region: str | None) -> None:
    """Refuse AUTO_REFRESH tables on a Snowflake account not hosted on AWS (UsageError, exit 2, before any change).

    "Triggering automated external metadata refreshes by using S3 event messages is supported by Snowflake accounts
    hosted on AWS only" (https://docs.snowflake.com/en/user-guide/tables-external-s3, "Cloud platform support").
    """
    wanted = [t.name for t in desired.tables if t.auto_refresh]
    if not wanted or region is None or account_cloud(region) == "AWS":
        return
    raise UsageError(
        f"aws.notifications.snowflake_auto_refresh: the Snowflake account is in {region}, not on AWS, and Snowflake "
        "refreshes external tables from S3 events only for accounts hosted on AWS; set "
        "aws.notifications.snowflake_auto_refresh: false (fedkit then refreshes stale tables on every plan/apply with "
        "ALTER EXTERNAL TABLE … REFRESH)"
    )
