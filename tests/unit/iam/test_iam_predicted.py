"""`fedkit plan` shows the steps that wait for values created earlier in the run (issue 12 item 1)."""

from __future__ import annotations

from toolkit.config import Config
from toolkit.iam.observed import ObservedBucket, ObservedRole
from toolkit.iam.plan import plan_notifications, plan_role
from toolkit.iam.predicted import (KNOWN_AFTER_CONNECTION, KNOWN_AFTER_TABLES, pending_identities, role_after)
from toolkit.planning.actions import Action
from toolkit.planning.identities import Identities

CONFIG = Config.model_validate({
    "gold": {"bucket": "acme-gold", "prefix": "gold/", "tables": {"fact_sales": {}}},
    "aws": {"account_id": "111122223333", "region": "us-east-1", "role_name": "reader"},
    "bigquery": {"project": "acme-proj"},
    "snowflake": {},
})


def test_the_trust_step_is_planned_against_the_role_the_first_phase_creates():
    first = plan_role(CONFIG, Identities(), ObservedRole(bucket_region="us-east-1"))
    assert [a.resource for a in first] == ["iam_role/reader", "iam_role_policy/reader/fedkit-gold-read"]
    created = [Action("bigquery", "create", "bigquery_connection/aws-us-east-1.x", "")]
    identities = pending_identities(Identities(), created)
    assert identities is not None and identities.bigquery == KNOWN_AFTER_CONNECTION and identities.snowflake is None
    later = plan_role(CONFIG, identities, role_after(ObservedRole(bucket_region="us-east-1"), first))
    assert [(a.action, a.resource) for a in later] == [("update", "iam_role/reader/trust_policy")]
    assert KNOWN_AFTER_CONNECTION in later[0].diff and "known after the connection exists" in later[0].detail


def test_nothing_waits_when_no_engine_is_created_or_the_identity_is_known():
    created = [Action("bigquery", "create", "bigquery_connection/aws-us-east-1.x", "")]
    assert pending_identities(Identities(bigquery="1" * 21), created) is None
    assert pending_identities(Identities(), []) is None


def test_the_notification_wiring_is_shown_with_the_queue_known_after_the_tables_exist():
    observed = ObservedBucket(region="us-east-1")
    assert plan_notifications(CONFIG, Identities(), observed) == []  # apply: no queue yet, nothing to wire
    [wiring] = plan_notifications(CONFIG, Identities(), observed, predict_channel=True)
    assert wiring.resource == "s3_bucket_notification/acme-gold" and wiring.payload["predicted"] is True
    assert KNOWN_AFTER_TABLES in wiring.diff and "000000000000" not in wiring.diff
    assert wiring.detail.endswith(f"Snowflake's queue is {KNOWN_AFTER_TABLES}")
