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
    assert counts.data["counts"] == {"parquet": after, "bigquery": after, "snowflake": after, "duckdb": after}
    assert _plan(cli, loaded) == []


COUNT_KPI = """\
-- name: sales_rows
-- description: Rows in fact_sales (what the Snowflake table serves).
-- grain: all
-- owner: analytics
-- tags: [test]
SELECT COUNT(*) AS n FROM {{ ref('fact_sales') }}
"""


def _snowflake_count(cli, loaded, kpi_dir) -> tuple[int, str]:
    result = cli("kpi", "run", str(kpi_dir), "--engine", "snowflake", "--config", str(loaded.path), "--output", "json")
    assert result.exit_code == 0, result.stderr
    (run,) = json.loads(result.stdout)["results"]
    assert run["status"] == "ok", run
    return int(run["rows"][0][0]), result.stderr


def test_a_published_partition_is_refreshed_by_plan_and_apply(cli, sandbox_project, tmp_path):
    """After `gold publish` adds a partition: `kpi run` on the sandbox's Snowflake warns that the table is stale
    (it serves its last load), `plan` shows the refresh, `apply` makes the rows visible, and a second plan is empty.
    The first apply refreshes each auto-refreshed table once after wiring the notifications ("Refreshing external
    tables automatically for Amazon S3": manual refresh once after the event notification is configured)."""
    import pyarrow.parquet as pq

    loaded = sandbox_project(orders=300, seed=5)
    first = cli("apply", "--yes", "--config", str(loaded.path), "--output", "json")
    assert first.exit_code == 0, first.stderr
    done = json.loads(first.stdout)["done"]
    wired = next(i for i, a in enumerate(done) if a["resource"].startswith("s3_bucket_notification/"))
    refreshed = [(i, a) for i, a in enumerate(done) if a["detail"].startswith("refresh: once after the S3 event")]
    assert refreshed and all(i > wired for i, _ in refreshed)
    assert {a["resource"].rsplit(".", 1)[1] for _, a in refreshed} >= {"fact_sales", "dim_region"}
    assert all(a["action"] == "update" and a["diff"].endswith(" REFRESH") for _, a in refreshed)
    assert _plan(cli, loaded) == []

    kpi_dir = tmp_path / "kpi"
    kpi_dir.mkdir()
    (kpi_dir / "sales_rows.sql").write_text(COUNT_KPI)
    before, warned = _snowflake_count(cli, loaded, kpi_dir)
    assert "stale" not in warned

    local = loaded.resolve(loaded.config.gold.local_dir) / "fact_sales"
    month = sorted(p for p in local.iterdir() if p.name.startswith("order_month="))[0]
    source = sorted(month.glob("*.parquet"))[0]
    new_month = local / "order_month=2031-01-01"
    new_month.mkdir()
    (new_month / source.name).write_bytes(source.read_bytes())
    added = pq.read_metadata(source).num_rows
    assert cli("gold", "publish", "--config", str(loaded.path)).exit_code == 0

    stale, warned = _snowflake_count(cli, loaded, kpi_dir)
    assert stale == before  # the loaded copy still serves the old rows ...
    # ... and says so (a JSON line on stderr, as every stderr line with --output json)
    assert '{"warning": {"message": "snowflake table fact_sales is stale' in warned and "1 file added" in warned
    assert "fedkit apply" in warned

    (refresh,) = [a for a in _plan(cli, loaded) if a["target"] == "snowflake"]
    assert refresh["action"] == "update" and refresh["resource"].endswith(".fact_sales")
    assert refresh["detail"].startswith("refresh: files changed in S3 since the last load (1 file added")
    assert cli("apply", "--yes", "--config", str(loaded.path)).exit_code == 0
    after, warned = _snowflake_count(cli, loaded, kpi_dir)
    assert after == before + added and "stale" not in warned
    assert _plan(cli, loaded) == []
    second = cli("apply", "--yes", "--config", str(loaded.path), "--output", "json")
    assert second.exit_code == 0 and json.loads(second.stdout)["done"] == []
