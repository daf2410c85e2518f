"""Bucket notifications with other writers on the same bucket (issue 10, item 6): PutBucketNotificationConfiguration
replaces the whole configuration, so apply re-reads it right before the PUT and merges again if it changed; two
fedkit projects (one gold prefix each) keep each other's entries."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.aws import aws_client
from toolkit.config import load_config
from toolkit.iam.notifications import entry_id
from toolkit.planning.identities import parse_identity_flags
from toolkit.planning.pipeline import ApplyFailed, Context, apply_all, plan_all

from .conftest import BQ_ID, BUCKET, CHANNEL, SF_ARN, config_data

ALL_IDS = [f"bigquery={BQ_ID}", f"snowflake={SF_ARN},AB_SFCRole=1_x=", f"snowflake_channel={CHANNEL}"]
AUDIT = {"Id": "audit", "QueueArn": "arn:aws:sqs:us-east-1:123456789012:audit",
         "Events": ["s3:ObjectCreated:*"], "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "raw/"}]}}}


def _ids() -> list[str]:
    config = aws_client("s3").get_bucket_notification_configuration(Bucket=BUCKET)
    return sorted(e["Id"] for key in ("QueueConfigurations", "LambdaFunctionConfigurations", "TopicConfigurations")
                  for e in config.get(key, []))


def _project(tmp_path: Path, name: str, prefix: str, tables: dict, client_factory=None) -> Context:
    data = config_data()
    data["gold"].update({"prefix": prefix, "tables": tables})
    data["aws"]["role_name"] = f"fedkit-{name}-reader"
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    return Context(loaded=load_config(path), flags=parse_identity_flags(ALL_IDS), client_factory=client_factory,
                   sleep=lambda s: None, propagation_attempts=3, propagation_delay=0)


class WriterAfterObserve:
    """A client factory whose S3 client lets another writer PUT the bucket's configuration right after fedkit
    observed it (once): the race between the plan's read and apply's write."""

    def __init__(self, write):
        self.write = write
        self.done = False

    def __call__(self, service: str):
        client = aws_client(service, region="us-east-1")
        if service == "s3":
            def after(**kwargs) -> None:
                if not self.done:
                    self.done = True
                    self.write()

            client.meta.events.register("after-call.s3.GetBucketNotificationConfiguration", after)
        return client


def test_an_entry_written_between_observe_and_put_is_kept(it_env):
    apply_all(it_env())  # the role; notifications wait for the identities

    def other_writer() -> None:
        s3 = aws_client("s3")
        current = s3.get_bucket_notification_configuration(Bucket=BUCKET)
        current.pop("ResponseMetadata", None)
        current.setdefault("QueueConfigurations", []).append(AUDIT)
        s3.put_bucket_notification_configuration(Bucket=BUCKET, NotificationConfiguration=current)

    writer = WriterAfterObserve(other_writer)
    report = apply_all(it_env(ALL_IDS, client_factory=writer))
    assert writer.done and f"s3_bucket_notification/{BUCKET}" in [a.resource for a in report.done]
    config = it_env(ALL_IDS).config
    assert _ids() == ["audit", entry_id(config, "dim_customer"), entry_id(config, "fact_sales")]
    assert plan_all(it_env(ALL_IDS)).empty


def test_an_overlapping_entry_written_meanwhile_stops_the_apply_before_the_put(it_env):
    apply_all(it_env())
    clash = {**AUDIT, "Id": "grab-all", "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "gold/"}]}}}

    def other_writer() -> None:
        aws_client("s3").put_bucket_notification_configuration(
            Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": [clash]})

    with pytest.raises(ApplyFailed, match=r"'grab-all'.*overlap"):
        apply_all(it_env(ALL_IDS, client_factory=WriterAfterObserve(other_writer)))
    assert _ids() == ["grab-all"]  # nothing of theirs overwritten


def test_two_projects_on_one_bucket_keep_each_others_entries(it_env, tmp_path):
    sales = _project(tmp_path, "sales", "gold/", {"fact_sales": {}})
    finance = _project(tmp_path, "finance", "finance/", {"ledger": {}})
    apply_all(sales)
    apply_all(finance)
    wired = sorted([entry_id(sales.config, "fact_sales"), entry_id(finance.config, "ledger")])
    assert _ids() == wired
    for project in (_project(tmp_path, "sales", "gold/", {"fact_sales": {}}),
                    _project(tmp_path, "finance", "finance/", {"ledger": {}})):
        assert plan_all(project).empty  # neither wants to remove the other's entry
    # A third project under a new prefix with a table named like one already wired: entry ids carry a hash of
    # bucket + gold prefix + table (issue 11 item 4), so it gets its own entry and nobody's is touched.
    copy = _project(tmp_path, "copy", "copy/", {"fact_sales": {}})
    apply_all(copy)
    assert entry_id(copy.config, "fact_sales") != entry_id(sales.config, "fact_sales")
    assert _ids() == sorted([*wired, entry_id(copy.config, "fact_sales")])
    for project in (_project(tmp_path, "sales", "gold/", {"fact_sales": {}}),
                    _project(tmp_path, "copy", "copy/", {"fact_sales": {}})):
        assert plan_all(project).empty


def test_an_entry_under_the_old_id_is_renamed_in_place(it_env):
    """fedkit's Ids used to be `fedkit-snowflake-<table>`: an existing wiring is updated to the new Id in one PUT,
    never left beside a second entry for the same prefix (which S3 would reject as overlapping)."""
    apply_all(it_env())
    old = [{"Id": f"fedkit-snowflake-{table}", "QueueArn": CHANNEL, "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}}
           for table, prefix in (("fact_sales", "gold/fact_sales/"), ("dim_customer", "gold/dims/customer/"))]
    aws_client("s3").put_bucket_notification_configuration(
        Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": [*old, AUDIT]})
    (action,) = [a for a in plan_all(it_env(ALL_IDS)).actions if a.resource == f"s3_bucket_notification/{BUCKET}"]
    assert action.detail.count("update fedkit-snowflake-") == 2 and "remove" not in action.detail
    apply_all(it_env(ALL_IDS))
    config = it_env(ALL_IDS).config
    assert _ids() == ["audit", entry_id(config, "dim_customer"), entry_id(config, "fact_sales")]
    assert plan_all(it_env(ALL_IDS)).empty
