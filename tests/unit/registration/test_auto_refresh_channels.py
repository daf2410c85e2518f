"""Each auto-refreshed table's own notification channel reaches the notification phase (issue 11 item 4).

`SHOW EXTERNAL TABLES` reports `notification_channel` per table (Snowflake "SHOW EXTERNAL TABLES"; "Refresh external
tables automatically for Amazon S3"), by the name Snowflake stores: the registration maps it back to the gold table.
"""

from __future__ import annotations

from types import SimpleNamespace

from toolkit.gold.model import GoldCatalog
from toolkit.registration.desired import desired_snowflake
from toolkit.registration.targets import _share_auto_refresh

from .conftest import FACT_SALES, ODD

Q1 = "arn:aws:sqs:us-east-1:999988887777:sf-snowpipe-ONE"
Q2 = "arn:aws:sqs:us-east-1:999988887777:sf-snowpipe-TWO"


class Engine:
    def snowflake_notification_channels(self) -> dict[str, str]:
        return {"FACT_SALES": Q1, "Odd Table": Q2, "SOMETHING_ELSE": Q1}


def test_each_table_gets_the_channel_snowflake_reports_for_it(loaded):
    desired = desired_snowflake(loaded, GoldCatalog((FACT_SALES, ODD)))
    ctx = SimpleNamespace(config=loaded.config, auto_refresh_tables=None, auto_refresh_channels=None)
    _share_auto_refresh(ctx, desired, Engine())
    assert ctx.auto_refresh_channels == {"fact_sales": Q1, "Odd Table": Q2}
    assert [name for name, _ in ctx.auto_refresh_tables] == ["Odd Table", "fact_sales"]


def test_without_an_engine_the_channels_stay_unknown(loaded):
    desired = desired_snowflake(loaded, GoldCatalog((FACT_SALES,)))
    ctx = SimpleNamespace(config=loaded.config, auto_refresh_tables=None, auto_refresh_channels=None)
    _share_auto_refresh(ctx, desired)
    assert ctx.auto_refresh_channels is None and ctx.auto_refresh_tables


def test_the_cloud_adapter_reads_every_tables_channel_from_show_external_tables(loaded):
    from toolkit.engines.snowflake import SnowflakeCloudEngine

    engine = SnowflakeCloudEngine(loaded, connect_kwargs={})
    sent = []
    rows = [{"name": "FACT_SALES", "notification_channel": Q1}, {"name": "Odd Table", "notification_channel": Q2},
            {"name": "MANUAL", "notification_channel": None}]
    engine.execute = lambda sql, *args: sent.append(sql) or rows
    assert engine.snowflake_notification_channels() == {"FACT_SALES": Q1, "Odd Table": Q2}
    assert engine.snowflake_notification_channel() == Q1  # the identity plans show: the first table's
    assert sent[0].startswith("SHOW EXTERNAL TABLES IN SCHEMA ")
