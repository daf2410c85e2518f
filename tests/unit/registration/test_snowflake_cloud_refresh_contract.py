"""Contract tests: the exact SQL the cloud Snowflake adapter sends for refreshes, and how it reads the answers.

fakesnow has no external tables, no SHOW EXTERNAL TABLES and no CURRENT_REGION(), so the connector is faked here and
the statements are pinned. Pages: "ALTER EXTERNAL TABLE" (REFRESH), "SHOW EXTERNAL TABLES" (last_refreshed_on,
TIMESTAMP_LTZ), "CURRENT_REGION", "Refreshing external tables automatically for Amazon S3" (AWS-hosted accounts only).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest

from toolkit.engines.s3_files import S3File
from toolkit.engines.snowflake import SnowflakeCloudEngine
from toolkit.errors import CloudError, UsageError
from toolkit.registration.desired import desired_snowflake

LA = timezone(timedelta(hours=-8))


@pytest.fixture(autouse=True)
def _no_real_connector(monkeypatch):
    """The adapter only needs `snowflake.connector.errors.Error` here. Importing the real connector would install its
    log filters process-wide (they mask secrets their own way, which later tests of fedkit's redaction would see), so
    a stand-in module serves when the connector is not loaded yet."""
    import sys
    import types

    if "snowflake.connector" in sys.modules:
        return
    import snowflake  # the namespace package only

    fake = types.ModuleType("snowflake.connector")
    fake.errors = types.SimpleNamespace(Error=type("Error", (Exception,), {}))
    monkeypatch.setitem(sys.modules, "snowflake.connector", fake)
    monkeypatch.setattr(snowflake, "connector", fake, raising=False)


class FakeCursor:
    def __init__(self, sent: list[str], answer: Callable[[str], list[dict[str, Any]]]):
        self.sent, self.answer, self.description, self._rows = sent, answer, None, []

    def execute(self, sql: str, params: Any = None) -> None:
        self.sent.append(sql)
        rows = self.answer(sql)
        names = list(rows[0]) if rows else ["name"]
        self.description = [(n,) for n in names]
        self._rows = [tuple(r[n] for n in names) for r in rows]

    def fetchall(self) -> list[tuple]:
        return self._rows

    def close(self) -> None:
        pass


class FakeConnection:
    def __init__(self, answer: Callable[[str], list[dict[str, Any]]]):
        self.sent: list[str] = []
        self.answer = answer

    def cursor(self) -> FakeCursor:
        return FakeCursor(self.sent, self.answer)

    def close(self) -> None:
        pass


def _engine(loaded, answer: Callable[[str], list[dict[str, Any]]]) -> tuple[SnowflakeCloudEngine, FakeConnection]:
    engine = SnowflakeCloudEngine(loaded, connect_kwargs={})
    engine._conn = FakeConnection(answer)
    return engine, engine._conn


def _registered(refreshed: dict[str, Any]) -> Callable[[str], list[dict[str, Any]]]:
    """ANALYTICS.GOLD exists and holds these external tables (name -> last_refreshed_on as the connector gives it)."""

    def answer(sql: str) -> list[dict[str, Any]]:
        if sql.startswith("SHOW DATABASES"):
            return [{"name": "ANALYTICS"}]
        if sql.startswith("SHOW SCHEMAS"):
            return [{"name": "GOLD"}]
        if sql.startswith("SHOW EXTERNAL TABLES"):
            return [{"created_on": None, "name": name, "notification_channel": None, "last_refreshed_on": when}
                    for name, when in refreshed.items()]
        raise AssertionError(f"unexpected statement {sql!r}")

    return answer


def test_refresh_sends_alter_external_table_refresh(loaded, gold):
    desired = desired_snowflake(loaded, gold.with_odd)
    engine, conn = _engine(loaded, lambda sql: [])
    from toolkit.registration import statements

    for table in desired.tables:
        engine.refresh_external_table(statements.snowflake_refresh(desired, table), desired, table)
    assert conn.sent == [statements.snowflake_refresh(desired, t) for t in desired.tables]
    assert "ALTER EXTERNAL TABLE ANALYTICS.GOLD.fact_sales REFRESH" in conn.sent
    assert 'ALTER EXTERNAL TABLE ANALYTICS.GOLD."Odd Table" REFRESH' in conn.sent  # quoted, never pasted raw
    assert all(s.startswith("ALTER EXTERNAL TABLE ANALYTICS.GOLD.") and s.endswith(" REFRESH") for s in conn.sent)


def test_freshness_reads_last_refreshed_on_and_the_newest_s3_file(loaded, gold, monkeypatch):
    """last_refreshed_on is a TIMESTAMP_LTZ (aware datetime from the connector, in any session zone); text is ISO."""
    import toolkit.engines.s3_files as s3_files

    listed: list[str] = []
    newest = datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc)

    def fake_files(desired, table) -> dict[str, S3File]:
        listed.append(table.location)
        return {f"{table.location}/a.parquet": S3File(1, "e1", newest - timedelta(days=1)),
                f"{table.location}/b.parquet": S3File(2, "e2", newest)}

    monkeypatch.setattr(s3_files, "snowflake_table_files", fake_files)
    desired = desired_snowflake(loaded, gold.sample)
    engine, conn = _engine(loaded, _registered({
        "FACT_SALES": datetime(2026, 12, 1, 9, 0, tzinfo=LA),  # 17:00 UTC: before the newest file
        "DIM_REGION": "2026-12-01 18:30:00.000 +0000",  # text: after it
        "AMAZON_SALES_GOLD": None,
    }))
    seen = engine.observe_freshness(desired)
    assert conn.sent == [
        "SHOW DATABASES LIKE 'ANALYTICS'",
        "SHOW SCHEMAS LIKE 'GOLD' IN DATABASE ANALYTICS",
        "SHOW EXTERNAL TABLES IN SCHEMA ANALYTICS.GOLD",
    ]
    assert set(seen) == {"FACT_SALES", "DIM_REGION", "AMAZON_SALES_GOLD"}  # only registered tables are listed in S3
    assert seen["FACT_SALES"].last_refreshed_on == datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc)
    assert seen["FACT_SALES"].newest_file == newest and seen["FACT_SALES"].files == 2
    assert seen["DIM_REGION"].last_refreshed_on == datetime(2026, 12, 1, 18, 30, tzinfo=timezone.utc)
    assert seen["AMAZON_SALES_GOLD"].last_refreshed_on is None
    assert len(listed) == 3

    from toolkit.registration import freshness as fr

    actions = fr.plan_snowflake_refresh(desired, fr.ObservedRefresh(seen))
    assert sorted(a.payload["table"] for a in actions) == ["amazon_sales_gold", "fact_sales"]
    assert [a.diff for a in actions if a.payload["table"] == "fact_sales"] == [
        "ALTER EXTERNAL TABLE ANALYTICS.GOLD.fact_sales REFRESH"]


def test_freshness_of_a_missing_schema_is_empty(loaded, gold):
    engine, conn = _engine(loaded, lambda sql: [])
    assert engine.observe_freshness(desired_snowflake(loaded, gold.sample)) == {}
    assert conn.sent == ["SHOW DATABASES LIKE 'ANALYTICS'"]


def test_an_unreadable_last_refreshed_on_is_a_one_line_cloud_error(loaded, gold, monkeypatch):
    import toolkit.engines.s3_files as s3_files

    monkeypatch.setattr(s3_files, "snowflake_table_files", lambda desired, table: {})
    engine, _ = _engine(loaded, _registered({"FACT_SALES": "yesterday"}))
    with pytest.raises(CloudError, match=r"^Snowflake: SHOW EXTERNAL TABLES: last_refreshed_on 'yesterday' is not"):
        engine.observe_freshness(desired_snowflake(loaded, gold.sample))


def test_region_query_and_refusal_off_aws_before_any_change(loaded, gold, monkeypatch):
    """The objects target asks CURRENT_REGION() when a table wants AUTO_REFRESH, and refuses an Azure account."""
    import toolkit.registration.targets as targets
    from toolkit.planning.pipeline import Context

    def answer(sql: str) -> list[dict[str, Any]]:
        return [{"REGION": "AZURE_WESTEUROPE"}] if "CURRENT_REGION" in sql else []

    engine, conn = _engine(loaded, answer)
    assert engine.account_region() == "AZURE_WESTEUROPE"
    assert conn.sent == ["SELECT CURRENT_REGION() AS REGION"]

    monkeypatch.setattr(targets, "_catalog", lambda ctx: gold.sample)
    ctx = Context(loaded=loaded)
    ctx._registration_engines = {"snowflake": engine}
    target = targets.SnowflakeObjectsTarget()
    observed = target.observe(ctx)
    assert observed.region == "AZURE_WESTEUROPE"
    with pytest.raises(UsageError, match=r"Snowflake account is in AZURE_WESTEUROPE, not on AWS.*"
                                         r"snowflake_auto_refresh: false"):
        target.plan(ctx, observed)
    assert not [s for s in conn.sent if s.startswith(("CREATE", "ALTER"))]


def test_aws_account_plans_as_before(loaded, gold, monkeypatch):
    import toolkit.registration.targets as targets
    from toolkit.planning.pipeline import Context

    engine, _ = _engine(loaded, lambda sql: [{"REGION": "PUBLIC.AWS_US_EAST_1"}] if "CURRENT_REGION" in sql else [])
    monkeypatch.setattr(targets, "_catalog", lambda ctx: gold.sample)
    ctx = Context(loaded=loaded)
    ctx._registration_engines = {"snowflake": engine}
    target = targets.SnowflakeObjectsTarget()
    actions = target.plan(ctx, target.observe(ctx))
    assert any(a.resource.startswith("snowflake_external_table/") and a.action == "create" for a in actions)
