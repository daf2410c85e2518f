"""When fedkit refreshes a Snowflake external table (pure planner, toolkit.registration.freshness).

Pages modelled: "ALTER EXTERNAL TABLE" (REFRESH), "SHOW EXTERNAL TABLES" (last_refreshed_on), "Refreshing external
tables automatically for Amazon S3" (one manual refresh after the notification is wired; AWS-hosted accounts only).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from toolkit.errors import UsageError
from toolkit.planning.actions import Action
from toolkit.registration import freshness as fr
from toolkit.registration.desired import desired_snowflake

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def _fresh(desired, changed: dict[str, fr.Freshness] | None = None) -> dict[str, fr.Freshness]:
    """Every desired table registered and current, except the ones in `changed` (by config name)."""
    from toolkit.registration.desired import sf_resolved

    tables = {sf_resolved(t.name): fr.Freshness(T0, T0 - timedelta(hours=1), 3) for t in desired.tables}
    tables.update({sf_resolved(name): f for name, f in (changed or {}).items()})
    return tables


def test_a_file_newer_than_the_last_refresh_plans_one_refresh(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    tables = _fresh(desired, {"fact_sales": fr.Freshness(T0, T0 + timedelta(minutes=5), 7)})
    (refresh,) = fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(tables))
    assert (refresh.target, refresh.action) == ("snowflake", "update")
    assert refresh.resource == "snowflake_external_table/ANALYTICS.GOLD.fact_sales"
    assert refresh.detail == ("refresh: stale, a file in S3 is from 2026-12-01 09:05:00 UTC, after the last refresh at "
                              "2026-12-01 09:00:00 UTC")
    assert refresh.diff == "ALTER EXTERNAL TABLE ANALYTICS.GOLD.fact_sales REFRESH"
    assert refresh.payload["op"] == "refresh_external_table" and refresh.payload["sql"] == refresh.diff
    assert refresh.payload["spec"].name == "fact_sales"


def test_current_tables_plan_nothing_and_naive_times_are_utc(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    assert fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(_fresh(desired))) == []
    same_second = fr.Freshness(T0.replace(tzinfo=None), T0, 1)  # equal instants: nothing newer
    assert fr.stale_reason(same_second) is None
    assert fr.stale_reason(fr.Freshness(None, None, 0)) is None  # no file at all: nothing to read


def test_never_refreshed_with_files_is_stale(loaded, gold):
    reason = fr.stale_reason(fr.Freshness(None, T0, 2))
    assert reason is not None and reason.startswith("refresh: never refreshed") and "2 file(s)" in reason


def test_refresh_quotes_odd_names_through_the_template(loaded, gold):
    from toolkit.sql.ddl import check_snowflake

    desired = desired_snowflake(loaded, gold.with_odd)
    tables = _fresh(desired, {"Odd Table": fr.Freshness(changed="")})
    (refresh,) = fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(tables))
    assert refresh.diff == 'ALTER EXTERNAL TABLE ANALYTICS.GOLD."Odd Table" REFRESH'
    assert refresh.detail == fr.REFRESH_DETAIL
    check_snowflake(refresh.diff)  # sqlglot keeps it as a Command: accepted by shape, the name still parses


def test_sandbox_changes_are_named(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    tables = _fresh(desired, {"dim_region": fr.Freshness(changed="2 files added, 1 file changed")})
    (refresh,) = fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(tables))
    assert refresh.detail.startswith("refresh: files changed in S3 since the last load")
    assert "2 files added, 1 file changed" in refresh.detail


def _notification(before: list[dict], after: list[dict]) -> Action:
    return Action("aws", "update", "s3_bucket_notification/b", "bucket notifications", "", {
        "op": "put_bucket_notification_configuration", "Observed": {"QueueConfigurations": before},
        "NotificationConfiguration": {"QueueConfigurations": after}})


ENTRY = {"Id": "fedkit-snowflake-fact_sales", "QueueArn": "arn:aws:sqs:us-east-1:1:sf", "Events": ["s3:ObjectCreated:*"]}


def test_wiring_notifications_refreshes_every_auto_refreshed_table_once(loaded, gold):
    """Files landing between CREATE EXTERNAL TABLE and the notification are never notified: one REFRESH after it."""
    desired = desired_snowflake(loaded, gold.sample)
    assert all(t.auto_refresh for t in desired.tables)
    wired, created, replaced, drifted = fr.run_changes([_notification([], [ENTRY])])
    assert wired and not created and not replaced and not drifted
    stale = _fresh(desired, {"fact_sales": fr.Freshness(T0, T0 + timedelta(hours=1), 7)})
    actions = fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(stale, wired))
    assert sorted(a.resource.rsplit(".", 1)[1] for a in actions) == sorted(t.name for t in desired.tables)
    assert {a.detail for a in actions} == {fr.WIRED_DETAIL}  # one reason, one refresh per table


def test_an_unchanged_or_alert_only_notification_change_wires_nothing():
    alert = {"Id": "fedkit-gold-upload-alert", "TopicArn": "arn:aws:sns:us-east-1:1:t"}
    same = _notification([ENTRY], [dict(reversed(list(ENTRY.items())))])
    same.payload["NotificationConfiguration"]["TopicConfigurations"] = [alert]
    assert fr.run_changes([same]) == (False, frozenset(), frozenset(), frozenset())


def test_tables_without_auto_refresh_are_not_refreshed_for_the_wiring(loaded, gold):
    from dataclasses import replace

    desired = desired_snowflake(loaded, gold.sample)
    manual = replace(desired, tables=tuple(replace(t, auto_refresh=False) for t in desired.tables))
    assert fr.plan_snowflake_refresh(manual, fr.ObservedRefresh(_fresh(manual), wired=True)) == []


def test_replace_refreshes_after_and_create_is_not_called_stale(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    fact = next(t for t in desired.tables if t.name == "fact_sales")
    region = next(t for t in desired.tables if t.name == "dim_region")
    changes = [
        Action("snowflake", "replace", "snowflake_external_table/x", "", "", {"op": "create_external_table",
                                                                             "table": "fact_sales"}),
        Action("snowflake", "create", "snowflake_external_table/y", "", "", {"op": "create_external_table",
                                                                            "table": "dim_region"}),
    ]
    wired, created, replaced, _ = fr.run_changes(changes)
    assert created == {"fact_sales", "dim_region"} and replaced == {"fact_sales"}
    tables = _fresh(desired)
    del tables["DIM_REGION"]  # not registered yet: the plan runs before the create
    tables["FACT_SALES"] = fr.Freshness(T0, T0 + timedelta(hours=1), 1)
    (refresh,) = fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(tables, wired, created, replaced))
    assert refresh.payload["table"] == fact.name and refresh.detail == fr.REPLACED_DETAIL
    # A table created this run read its files at creation: not stale, and refreshed only once wired.
    wired_too = fr.ObservedRefresh(tables, True, created, replaced)
    assert {a.payload["table"] for a in fr.plan_snowflake_refresh(desired, wired_too)} >= {fact.name, region.name}


def test_a_drifted_table_is_not_refreshed_until_replaced(loaded, gold):
    """Drift takes precedence: the sandbox's reload would quietly take the new columns and hide the drift."""
    desired = desired_snowflake(loaded, gold.sample)
    resource = "snowflake_external_table/ANALYTICS.GOLD.dim_region"
    changes = fr.run_changes([Action("snowflake", "drift", resource, "columns changed", "", {"op": "drift"})])
    assert changes[3] == {resource}
    tables = _fresh(desired, {"dim_region": fr.Freshness(changed="1 file changed")})
    assert fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(tables, *changes)) == []
    replaced = fr.run_changes([Action("snowflake", "replace", resource, "", "", {"op": "create_external_table",
                                                                                 "table": "dim_region"})])
    (refresh,) = fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(tables, *replaced))
    assert refresh.resource == resource and refresh.detail == fr.REPLACED_DETAIL


def test_stale_table_not_desired_is_ignored(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    tables = {**_fresh(desired), "NOT_IN_GOLD": fr.Freshness(changed="1 file added")}
    assert fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(tables)) == []


@pytest.mark.parametrize("region, cloud", [
    ("AWS_US_EAST_1", "AWS"), ("PUBLIC.AWS_US_WEST_2", "AWS"), ("AZURE_WESTEUROPE", "AZURE"),
    ("GCP_US_CENTRAL1", "GCP"), ("public.gcp_europe_west4", "GCP"),
])
def test_account_cloud_from_current_region(region, cloud):
    """CURRENT_REGION returns `AWS_US_WEST_2`, or `PUBLIC.AWS_US_WEST_2` across region groups (its page)."""
    assert fr.account_cloud(region) == cloud


def test_auto_refresh_is_refused_off_aws_and_allowed_without_it(loaded, gold):
    from dataclasses import replace

    desired = desired_snowflake(loaded, gold.sample)
    fr.check_auto_refresh_host(desired, "AWS_US_EAST_1")
    with pytest.raises(UsageError) as raised:
        fr.check_auto_refresh_host(desired, "AZURE_WESTEUROPE")
    message = str(raised.value)
    assert "AZURE_WESTEUROPE" in message and "hosted on AWS" in message
    assert "aws.notifications.snowflake_auto_refresh: false" in message and "\n" not in message
    manual = replace(desired, tables=tuple(replace(t, auto_refresh=False) for t in desired.tables))
    fr.check_auto_refresh_host(manual, "AZURE_WESTEUROPE")  # nothing asks for S3 events: nothing to refuse


def test_describe_changes_counts_files():
    from toolkit.engines.snowflake_sandbox import describe_changes, fingerprint

    before = {"a.parquet": "10:x", "b.parquet": "20:y"}
    now = {"a.parquet": "11:z", "c.parquet": "5:w", "d.parquet": "5:v"}
    assert describe_changes(before, now) == "2 files added, 1 file changed, 1 file removed"
    assert describe_changes(None, now) == "no file list recorded at the last load"
    assert fingerprint(before) == fingerprint(dict(reversed(list(before.items()))))
    assert fingerprint(before) != fingerprint(now)
