"""End to end on the sandbox: after a re-publish changes the gold files, `fedkit plan` shows the Snowflake refresh,
the demo's register step applies it, and its row-count step sees every engine agree on the new data."""

from __future__ import annotations

import json
import shutil

import pytest


@pytest.fixture
def republish_sandbox(sandbox_project):
    """The published sample, and `republish(orders, seed)` that rewrites it (stale files deleted from S3)."""
    from toolkit.gold.publish import publish
    from toolkit.gold.sample import write_sample

    loaded = sandbox_project(orders=300, seed=5)
    local = loaded.resolve(loaded.config.gold.local_dir)

    def republish(orders: int, seed: int) -> None:
        shutil.rmtree(local, ignore_errors=True)
        write_sample(local, orders=orders, seed=seed)
        publish(loaded, delete=True)

    return loaded, republish


def _plan(cli, loaded) -> list[dict]:
    result = cli("plan", "--config", str(loaded.path), "--output", "json")
    assert result.exit_code == 0, result.stderr
    return [a for a in json.loads(result.stdout)["actions"] if a["target"] in ("bigquery", "snowflake")]


def test_republished_gold_is_refreshed_by_the_demo_register_step(cli, republish_sandbox):
    from toolkit.gold.schema import read_catalog
    from toolkit.registration.demo import step_register, step_row_counts
    from toolkit.sandbox.demo_steps import DemoContext

    loaded, republish = republish_sandbox
    assert cli("apply", "--yes", "--config", str(loaded.path)).exit_code == 0
    assert _plan(cli, loaded) == []
    before = read_catalog(loaded, "s3").table("fact_sales").row_count

    republish(12, 9)  # like `fedkit demo --orders 12` after a default demo
    after = read_catalog(loaded, "s3").table("fact_sales").row_count
    assert after != before
    planned = _plan(cli, loaded)
    refresh = next(a for a in planned if a["resource"].endswith(".fact_sales") and a["target"] == "snowflake")
    assert refresh["action"] == "update" and refresh["resource"].startswith("snowflake_external_table/")
    assert refresh["detail"].startswith("refresh: files changed in S3 since the last load")
    assert refresh["diff"].startswith("ALTER EXTERNAL TABLE ") and refresh["diff"].endswith(".fact_sales REFRESH")
    assert all(a["action"] == "update" for a in planned if a["target"] == "snowflake")
    assert not [a for a in planned if a["target"] == "bigquery"]  # BigLake tables read S3 at query time

    registered = step_register(DemoContext(loaded=loaded))
    assert registered.status == "done", registered.detail
    assert any(c.startswith("update snowflake_external_table/") for c in registered.data["changes"])
    counts = step_row_counts(DemoContext(loaded=loaded))
    assert counts.data["agree"], counts.detail
    assert counts.data["counts"] == {"parquet": after, "bigquery": after, "snowflake": after}
    assert _plan(cli, loaded) == []
