"""Bucket notifications: per-table SQS entries, the SNS alert, merge with foreign entries, overlap detection."""

from __future__ import annotations

import pytest

from toolkit.config import Config
from toolkit.iam import notifications as notif

CHANNEL = "arn:aws:sqs:us-east-1:999988887777:sf-snowpipe-AIDA"
FOREIGN_LAMBDA = {"Id": "audit", "LambdaFunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:audit",
                  "Events": ["s3:ObjectCreated:*"],
                  "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "raw/"}]}}}


def make(sns: str | None = None, auto_refresh: bool = True) -> Config:
    return Config.model_validate({
        "gold": {"bucket": "acme-gold", "prefix": "gold/", "tables": {
            "fact_sales": {"partition_columns": ["order_month"]},
            "dim_customer": {"path": "dims/customer/"},
            "snapshots": {"auto_refresh": False}}},
        "aws": {"account_id": "111122223333", "region": "us-east-1",
                "notifications": {"sns_topic": sns, "snowflake_auto_refresh": auto_refresh}},
        "snowflake": {},
    })


def ID(table: str) -> str:
    """The entry Id fedkit gives `table` in the test config's bucket and gold prefix."""
    return notif.entry_id(make(), table)


def test_one_queue_entry_per_auto_refreshed_table_prefix():
    wanted = notif.desired_entries(make(), CHANNEL)
    queues = wanted["QueueConfigurations"]
    assert [(q["Id"], q["Filter"]["Key"]["FilterRules"][0]["Value"]) for q in queues] == [
        (ID("dim_customer"), "gold/dims/customer/"),
        (ID("fact_sales"), "gold/fact_sales/"),
    ]
    assert all(q["QueueArn"] == CHANNEL and q["Events"] == ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"] for q in queues)
    assert wanted["TopicConfigurations"] == []


def test_no_channel_or_auto_refresh_off_means_no_queue_entries():
    assert notif.desired_entries(make(), None)["QueueConfigurations"] == []
    assert notif.desired_entries(make(auto_refresh=False), CHANNEL)["QueueConfigurations"] == []


def test_merge_keeps_foreign_entries_and_eventbridge():
    observed = {"LambdaFunctionConfigurations": [FOREIGN_LAMBDA], "EventBridgeConfiguration": {},
                "ResponseMetadata": {"HTTPStatusCode": 200}}
    merged = notif.merge_notifications(observed, notif.desired_entries(make(), CHANNEL))
    assert merged.document["LambdaFunctionConfigurations"] == [FOREIGN_LAMBDA]
    assert merged.document["EventBridgeConfiguration"] == {}
    assert "ResponseMetadata" not in merged.document
    assert merged.added == [ID("dim_customer"), ID("fact_sales")]
    again = notif.merge_notifications(merged.document, notif.desired_entries(make(), CHANNEL))
    assert not again.changed


def test_filter_rule_name_case_from_s3_does_not_cause_an_update():
    wanted = notif.desired_entries(make(), CHANNEL)
    observed = {"QueueConfigurations": [
        {**q, "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": q["Filter"]["Key"]["FilterRules"][0]["Value"]}]}},
         "Events": list(reversed(q["Events"]))} for q in wanted["QueueConfigurations"]]}
    assert not notif.merge_notifications(observed, wanted).changed


def test_channel_change_updates_managed_entries_and_drops_stale_ones():
    old = notif.merge_notifications({}, notif.desired_entries(make(), CHANNEL)).document
    new_channel = CHANNEL.replace("AIDA", "AIDB")
    merged = notif.merge_notifications(old, notif.desired_entries(make(auto_refresh=False), new_channel))
    assert merged.removed == [ID("dim_customer"), ID("fact_sales")]
    assert merged.document == {}


def test_sns_alert_overlapping_snowflake_prefixes_is_explained():
    document = notif.merge_notifications({}, notif.desired_entries(make(sns="gold-uploads"), CHANNEL)).document
    clashes = notif.find_overlaps(document)
    assert (ID("dim_customer"), "fedkit-gold-upload-alert", "s3:ObjectCreated:*") in clashes
    with pytest.raises(notif.NotificationConflict, match=r"overlap for s3:ObjectCreated:\*.*snowflake_auto_refresh: false"
                       r".*ALTER EXTERNAL TABLE … REFRESH when they are stale") as raised:
        notif.check_overlaps(document, "acme-gold")
    # fedkit does not wire Snowflake's SNS fallback, so the way out does not send people there.
    assert "AWS_SNS_TOPIC" not in str(raised.value) and "SNS topic" not in str(raised.value)


@pytest.mark.parametrize(
    "a_events, a_prefix, b_events, b_prefix, overlap",
    [
        (["s3:ObjectCreated:*"], "gold/a/", ["s3:ObjectCreated:Put"], "gold/", True),
        (["s3:ObjectCreated:*"], "gold/a/", ["s3:ObjectRemoved:*"], "gold/", False),
        (["s3:ObjectCreated:*"], "gold/a/", ["s3:ObjectCreated:*"], "gold/b/", False),
        (["s3:ObjectCreated:*"], "", ["s3:ObjectCreated:*"], "gold/b/", True),
    ],
)
def test_overlap_rule(a_events, a_prefix, b_events, b_prefix, overlap):
    def entry(i, events, prefix):
        return {"Id": i, "QueueArn": CHANNEL, "Events": events,
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}}

    document = {"QueueConfigurations": [entry("a", a_events, a_prefix), entry("b", b_events, b_prefix)]}
    assert bool(notif.find_overlaps(document)) is overlap


def test_different_suffixes_do_not_overlap():
    def entry(i, suffix):
        return {"Id": i, "TopicArn": "arn:aws:sns:us-east-1:111122223333:t", "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "gold/"},
                                                   {"Name": "suffix", "Value": suffix}]}}}

    assert notif.find_overlaps({"TopicConfigurations": [entry("a", ".parquet"), entry("b", ".json")]}) == []


def test_a_foreign_entry_whose_id_merely_starts_with_fedkit_is_kept():
    human = {**FOREIGN_LAMBDA, "Id": "fedkit-team-audit"}
    merged = notif.merge_notifications({"LambdaFunctionConfigurations": [human]}, notif.desired_entries(make(), None))
    assert merged.document == {"LambdaFunctionConfigurations": [human]}
    assert not merged.changed


def test_registered_tables_each_get_an_entry_single_files_by_their_exact_key():
    tables = notif.registered_auto_refresh("acme-gold", [("fact_sales", "s3://acme-gold/gold/fact_sales"),
                                                         ("dim_region", "s3://acme-gold/gold/dim_region.parquet")])
    assert tables == (("dim_region", "gold/dim_region.parquet"), ("fact_sales", "gold/fact_sales/"))
    queues = notif.desired_entries(make(), CHANNEL, tables)["QueueConfigurations"]
    assert [(q["Id"], q["Filter"]["Key"]["FilterRules"][0]["Value"]) for q in queues] == [
        (ID("dim_region"), "gold/dim_region.parquet"),
        (ID("fact_sales"), "gold/fact_sales/"),
    ]


def test_a_run_that_did_not_read_the_tables_keeps_entries_of_discovered_tables():
    """`--target aws` does not read the gold layer: it must not cut auto-refresh of tables outside gold.tables."""
    registered = notif.registered_auto_refresh("acme-gold", [("fact_sales", "s3://acme-gold/gold/fact_sales"),
                                                             ("dim_customer", "s3://acme-gold/gold/dims/customer"),
                                                             ("dim_region", "s3://acme-gold/gold/dim_region")])
    wired = notif.merge_notifications({}, notif.desired_entries(make(), CHANNEL, registered)).document
    assert not notif.merge_notifications(wired, notif.desired_entries(make(), CHANNEL, None, wired)).changed
    # ... but a configured table whose auto_refresh is switched off loses its entry
    tables = {**make().gold.tables, "fact_sales": make().gold.tables["fact_sales"].model_copy(update={"auto_refresh": False})}
    config = make().model_copy(update={"gold": make().gold.model_copy(update={"tables": tables})})
    dropped = notif.merge_notifications(wired, notif.desired_entries(config, CHANNEL, None, wired))
    assert dropped.removed == [ID("fact_sales")]


def test_a_run_that_did_not_read_the_tables_keeps_a_configured_single_files_exact_key():
    """A configured table that is one Parquet file is wired by its exact key on a full run; a `--target aws` run
    cannot tell it is a file and must not point it at a `table/` folder that never matches."""
    config = Config.model_validate({**make().model_dump(), "gold": {"bucket": "acme-gold", "prefix": "gold/",
                                    "tables": {"dim_region": {}, "fact_sales": {}}}})
    registered = notif.registered_auto_refresh("acme-gold", [("fact_sales", "s3://acme-gold/gold/fact_sales"),
                                                             ("dim_region", "s3://acme-gold/gold/dim_region.parquet")])
    wired = notif.merge_notifications({}, notif.desired_entries(config, CHANNEL, registered)).document
    unread = notif.desired_entries(config, CHANNEL, None, wired)
    assert not notif.merge_notifications(wired, unread).changed
    assert {q["Id"]: q["Filter"]["Key"]["FilterRules"][0]["Value"] for q in unread["QueueConfigurations"]} == {
        ID("dim_region"): "gold/dim_region.parquet", ID("fact_sales"): "gold/fact_sales/"}
    # Not wired yet: the config's folder prefix is all a run that did not read the gold layer knows.
    fresh = notif.desired_entries(config, CHANNEL, None, {})
    assert [q["Filter"]["Key"]["FilterRules"][0]["Value"] for q in fresh["QueueConfigurations"]] == [
        "gold/dim_region/", "gold/fact_sales/"]


def test_a_clash_with_a_foreign_entry_names_it_as_the_way_out():
    foreign = {"Id": "ops-all", "QueueArn": CHANNEL, "Events": ["s3:ObjectCreated:Put"],
               "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "gold/"}]}}}
    document = notif.merge_notifications({"QueueConfigurations": [foreign]}, notif.desired_entries(make(), CHANNEL)).document
    with pytest.raises(notif.NotificationConflict, match=r"Fix: narrow or remove entry 'ops-all'") as err:
        notif.check_overlaps(document, "acme-gold")
    assert "sns_topic" not in str(err.value)  # no topic is configured: do not suggest removing one


def test_another_projects_managed_entries_outside_the_gold_prefix_are_kept():
    """Two fedkit projects on one bucket: each owns the managed entries under its own gold prefix only."""
    theirs = {"Id": "fedkit-snowflake-ledger", "QueueArn": CHANNEL, "Events": list(notif.SNOWFLAKE_EVENTS),
              "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "finance/ledger/"}]}}}
    merged = notif.merge_notifications({"QueueConfigurations": [theirs]}, notif.desired_entries(make(), CHANNEL), "gold/")
    assert merged.document["QueueConfigurations"][0] == theirs and merged.removed == []
    assert notif.observed_snowflake_channel({"QueueConfigurations": [theirs]}, "gold/") is None
    same_id = {**theirs, "Id": ID("fact_sales")}  # ids carry a hash of bucket + prefix + table: only a forged one clashes
    with pytest.raises(notif.NotificationConflict, match=f"'{ID('fact_sales')}' already exists for prefix "
                                                         "'finance/ledger/', outside this project's gold prefix 'gold/'"):
        notif.merge_notifications({"QueueConfigurations": [same_id]}, notif.desired_entries(make(), CHANNEL), "gold/")


# -- issue 11 item 4: each table its own channel, ids unique per project, S3's limit of 100 queue entries -----------
def test_each_table_is_wired_to_its_own_notification_channel():
    """SHOW EXTERNAL TABLES reports `notification_channel` per table and Snowflake may hand out more than one queue
    (Snowflake "Refresh external tables automatically for Amazon S3"): each entry sends to its own table's queue."""
    other = CHANNEL.replace("AIDA", "AIDB")
    queues = notif.desired_entries(make(), CHANNEL, channels={"fact_sales": other})["QueueConfigurations"]
    assert {q["Id"]: q["QueueArn"] for q in queues} == {ID("dim_customer"): CHANNEL, ID("fact_sales"): other}
    # A run that did not read the channels keeps each table's queue as wired, not one queue for all.
    wired = notif.merge_notifications({}, {"QueueConfigurations": queues}).document
    again = notif.desired_entries(make(), CHANNEL, None, wired)
    assert not notif.merge_notifications(wired, again).changed
    # An operator's --identity snowflake_channel wins for this run.
    flagged = notif.desired_entries(make(), CHANNEL, None, wired, {"fact_sales": other}, channel_wins=True)
    assert {q["QueueArn"] for q in flagged["QueueConfigurations"]} == {CHANNEL}


def test_entry_ids_differ_between_projects_sharing_a_bucket():
    finance = Config.model_validate({**make().model_dump(), "gold": {"bucket": "acme-gold", "prefix": "finance/",
                                                                     "tables": {"fact_sales": {}}}})
    ours, theirs = notif.entry_id(make(), "fact_sales"), notif.entry_id(finance, "fact_sales")
    assert ours != theirs and ours.startswith("fedkit-snowflake-fact_sales-") and len(ours) <= 255
    document = notif.merge_notifications({}, notif.desired_entries(finance, CHANNEL), "finance/").document
    both = notif.merge_notifications(document, notif.desired_entries(make(), CHANNEL), "gold/")
    assert sorted(q["Id"] for q in both.document["QueueConfigurations"]) == sorted([theirs, ID("dim_customer"), ours])


def test_an_entry_under_fedkits_old_id_is_migrated_not_duplicated():
    old = {"Id": "fedkit-snowflake-fact_sales", "QueueArn": CHANNEL, "Events": list(notif.SNOWFLAKE_EVENTS),
           "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "gold/fact_sales/"}]}}}
    merged = notif.merge_notifications({"QueueConfigurations": [old]}, notif.desired_entries(make(), CHANNEL), "gold/")
    assert merged.updated == [ID("fact_sales")] and merged.removed == [] and merged.added == [ID("dim_customer")]
    prefixes = [q["Filter"]["Key"]["FilterRules"][0]["Value"] for q in merged.document["QueueConfigurations"]]
    assert sorted(prefixes) == ["gold/dims/customer/", "gold/fact_sales/"]  # one entry per prefix: no overlap
    notif.check_overlaps(merged.document, "acme-gold")
    # A run that did not read the gold layer keeps the old entry's filter and queue while renaming it.
    unread = notif.desired_entries(make(), None, None, {"QueueConfigurations": [old]})
    assert [(q["Id"], q["QueueArn"]) for q in unread["QueueConfigurations"]] == [(ID("fact_sales"), CHANNEL)]


def test_more_than_100_queue_entries_is_refused_before_any_change():
    """S3 takes at most 100 queue configurations per bucket (AWS General Reference, Amazon S3 quotas)."""
    from toolkit.errors import UsageError
    from toolkit.iam.observed import ObservedBucket
    from toolkit.iam.plan import plan_notifications
    from toolkit.planning.identities import Identities

    def foreign(i):
        return {"Id": f"team-{i}", "QueueArn": CHANNEL, "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": f"raw/{i}/"}]}}}

    fits = ObservedBucket(exists=True, notifications={"QueueConfigurations": [foreign(i) for i in range(98)]})
    (action,) = plan_notifications(make(), Identities(snowflake_channel=CHANNEL), fits)
    assert len(action.payload["NotificationConfiguration"]["QueueConfigurations"]) == 100
    full = ObservedBucket(exists=True, notifications={"QueueConfigurations": [foreign(i) for i in range(99)]})
    with pytest.raises(UsageError, match=r"would hold 101 queue entries \(2 for this project's auto-refreshed "
                                         r"tables\), more than the 100 S3 allows per bucket") as err:
        plan_notifications(make(), Identities(snowflake_channel=CHANNEL), full)
    assert err.value.exit_code == 2
    with pytest.raises(UsageError, match="more than the 100"):  # also before Snowflake's channel exists
        plan_notifications(make(), Identities(), full)
