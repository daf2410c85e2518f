"""Staleness of the sandbox's loaded Snowflake tables: a pure refresh action, never one in the cloud."""

from __future__ import annotations

from dataclasses import replace

from toolkit.registration.desired import desired_snowflake, sf_resolved
from toolkit.registration.observed import ObservedIntegration, ObservedSnowflake, ObservedStage
from toolkit.registration.plan import REFRESH_DETAIL, plan_snowflake_objects

ROLE = "arn:aws:iam::123456789012:role/fedkit-gold-reader"


def _registered(desired, stale: dict[str, str] | None = None) -> ObservedSnowflake:
    tables = {
        sf_resolved(t.name): (("VALUE", "VARIANT"), *((sf_resolved(c.name), c.type) for c in t.columns))
        for t in desired.tables
    }
    integration = ObservedIntegration(ROLE, desired.allowed_locations, True, "arn:aws:iam::1:user/x", "ext")
    stage = ObservedStage(desired.stage_url, sf_resolved(desired.integration))
    return ObservedSnowflake(True, True, integration, True, stage, tables, stale=dict(stale or {}))


def test_changed_files_plan_one_refresh_per_stale_table(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    observed = _registered(desired, {"FACT_SALES": "2 files added, 1 file changed"})
    (refresh,) = plan_snowflake_objects(desired, observed)
    assert refresh.target == "snowflake" and refresh.action == "update"
    assert refresh.resource == "snowflake_external_table/ANALYTICS.GOLD.fact_sales"
    assert refresh.detail.startswith("refresh: files changed in S3 since the last load")
    assert "2 files added, 1 file changed" in refresh.detail and "emulates AUTO_REFRESH" in refresh.detail
    assert refresh.diff == "ALTER EXTERNAL TABLE ANALYTICS.GOLD.fact_sales REFRESH"
    assert refresh.payload["op"] == "refresh_external_table" and refresh.payload["sql"] == refresh.diff
    assert refresh.payload["spec"].name == "fact_sales"


def test_refresh_quotes_odd_names_through_the_template(loaded, gold):
    from toolkit.sql.ddl import check_snowflake

    desired = desired_snowflake(loaded, gold.with_odd)
    (refresh,) = plan_snowflake_objects(desired, _registered(desired, {"Odd Table": ""}))
    assert refresh.diff == 'ALTER EXTERNAL TABLE ANALYTICS.GOLD."Odd Table" REFRESH'
    assert refresh.detail == REFRESH_DETAIL
    check_snowflake(refresh.diff)  # sqlglot keeps it as a Command: accepted by shape, the name still parses


def test_same_fingerprint_means_no_action(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    assert plan_snowflake_objects(desired, _registered(desired)) == []


def test_cloud_observation_never_refreshes(loaded, gold):
    """The cloud adapter reports no staleness (AUTO_REFRESH): its observation has an empty `stale`."""
    from toolkit.engines.snowflake import SnowflakeCloudEngine

    desired = desired_snowflake(loaded, gold.with_odd)
    observed = _registered(desired)
    engine = SnowflakeCloudEngine(loaded, connect_kwargs={})
    observed = replace(observed, stale=engine.observe_stale(desired, observed.tables))
    assert observed.stale == {} and plan_snowflake_objects(desired, observed) == []


def test_drift_takes_precedence_over_refresh(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    observed = _registered(desired, {"DIM_REGION": "1 file changed"})
    tables = dict(observed.tables)
    tables["DIM_REGION"] = tables["DIM_REGION"][:-1]  # a column went missing: drift, not a refresh
    (drift,) = plan_snowflake_objects(desired, replace(observed, tables=tables))
    assert drift.action == "drift"
    (recreate,) = plan_snowflake_objects(desired, replace(observed, tables=tables), replace=True)
    assert recreate.action == "replace" and recreate.payload["op"] == "create_external_table"


def test_stale_table_not_desired_is_ignored(loaded, gold):
    desired = desired_snowflake(loaded, gold.sample)
    assert plan_snowflake_objects(desired, _registered(desired, {"NOT_IN_GOLD": "1 file added"})) == []


def test_describe_changes_counts_files():
    from toolkit.engines.snowflake_sandbox import describe_changes, fingerprint

    before = {"a.parquet": "10:x", "b.parquet": "20:y"}
    now = {"a.parquet": "11:z", "c.parquet": "5:w", "d.parquet": "5:v"}
    assert describe_changes(before, now) == "2 files added, 1 file changed, 1 file removed"
    assert describe_changes(None, now) == "no file list recorded at the last load"
    assert fingerprint(before) == fingerprint(dict(reversed(list(before.items()))))
    assert fingerprint(before) != fingerprint(now)
