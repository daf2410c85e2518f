"""Orphans on the sandbox (issue 12 item 3): a table folder removed and `gold publish --delete` run leaves the BigLake
and Snowflake external tables fedkit made for it; `plan` warns, `apply --prune` drops them on both engines with the
table's auto-refresh entry, the next plan is empty, and a table without fedkit's marker is never listed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
import pytest

GONE, LEGACY = "old_table", "legacy_table"


@pytest.fixture
def sandbox(sandbox_project):
    def extra_tables(local) -> None:
        for name in (GONE, LEGACY):
            shutil.copytree(local / "dim_region", local / name)

    return sandbox_project(prepare=extra_tables)


def _unmark(sandbox, fakesnow_kwargs) -> None:
    """LEGACY without fedkit's marker, as a table made by hand (or by a fedkit before the marker) is: BigQuery's is
    recreated from DDL without the description and label."""
    from toolkit.engines.registry import get_engine
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine
    from toolkit.gold.schema import read_catalog
    from toolkit.registration import statements
    from toolkit.registration.desired import desired_bigquery, desired_snowflake

    catalog = read_catalog(sandbox, "s3")
    unmarked = lambda sql: "\n".join(l for l in sql.splitlines() if "fedkit" not in l)  # noqa: E731
    bq = desired_bigquery(sandbox, catalog)
    spec = next(t for t in bq.tables if t.name == LEGACY)
    get_engine("bigquery", sandbox).create_table(unmarked(statements.bigquery_table(bq, spec, replace=True)), bq, spec,
                                                 replace=True)
    # Snowflake: the sandbox keeps what SHOW EXTERNAL TABLES reports in its registry; the table loses its comment.
    import json as _json

    from toolkit.engines.snowflake_sandbox import _REGISTRY

    sf = SnowflakeSandboxEngine(sandbox, connect_kwargs=fakesnow_kwargs)
    key = sf._key(desired_snowflake(sandbox, catalog), LEGACY)
    props = sf._lookup("external_table", key)[key]
    assert props.pop("comment") == f"managed by fedkit (gold table {LEGACY})"
    sf.execute(f"UPDATE {_REGISTRY} SET PROPS = %s WHERE KIND = 'external_table' AND NAME = %s", (_json.dumps(props), key))


def _queue_ids(sandbox) -> set[str]:
    from toolkit.aws import aws_client

    wired = aws_client("s3").get_bucket_notification_configuration(Bucket=sandbox.config.gold.bucket)
    return {q["Id"] for q in wired.get("QueueConfigurations", [])}


def test_plan_warns_apply_prune_drops_only_fedkits_tables(cli, sandbox, fakesnow_kwargs):
    from toolkit.engines.registry import get_engine
    from toolkit.iam.notifications import entry_id

    config = ["--config", str(sandbox.path)]
    assert cli("apply", "--yes", *config).exit_code == 0
    _unmark(sandbox, fakesnow_kwargs)
    assert entry_id(sandbox.config, GONE) in _queue_ids(sandbox)
    for name in (GONE, LEGACY):
        shutil.rmtree(Path(sandbox.config.gold.local_dir) / name)
    published = cli("gold", "publish", "--delete", *config)
    assert published.exit_code == 0, published.stderr

    planned = cli("plan", "--output", "json", *config)
    assert planned.exit_code == 0, planned.stderr
    plan = json.loads(planned.stdout)
    database = sandbox.config.snowflake.database
    assert not [a for a in plan["actions"] if a["action"] == "delete"]
    orphan_warnings = [w for w in plan.get("warnings", []) if "orphan" in w]
    assert orphan_warnings == [
        f"bigquery_table/gold.{GONE}: orphan: no gold table {GONE} any more; `fedkit apply --prune` drops it",
        f"snowflake_external_table/{database}.GOLD.{GONE.upper()}: orphan: no gold table {GONE} any more; "
        "`fedkit apply --prune` drops it",
    ]
    text = cli("plan", *config)
    assert f"orphan: no gold table {GONE} any more" in text.stdout
    assert not [line for line in text.stdout.splitlines() if "orphan" in line and LEGACY in line]
    # Left in place, the orphan keeps its auto-refresh entry (nothing of it is deleted without --prune).
    assert f"remove {entry_id(sandbox.config, GONE)}" not in text.stdout

    # `plan --prune` shows the deletes for review; the saved plan applies exactly them (no --prune needed again).
    saved = sandbox.path.parent / "prune-plan.json"
    reviewed = cli("plan", "--prune", "--out", str(saved), "--output", "json", *config)
    assert reviewed.exit_code == 0, reviewed.stderr
    shown = [(a["resource"], a["detail"]) for a in json.loads(reviewed.stdout)["actions"] if a["action"] == "delete"]
    pruned = cli("apply", str(saved), "--output", "json")
    assert pruned.exit_code == 0, pruned.stderr + pruned.stdout
    deletes = [(a["resource"], a["detail"]) for a in json.loads(pruned.stdout)["done"] if a["action"] == "delete"]
    assert deletes == shown == [
        (f"bigquery_table/gold.{GONE}", f"orphan: no gold table {GONE} any more"),
        (f"snowflake_external_table/{database}.GOLD.{GONE.upper()}", f"orphan: no gold table {GONE} any more"),
    ]
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine

    bq, sf = get_engine("bigquery", sandbox), SnowflakeSandboxEngine(sandbox, connect_kwargs=fakesnow_kwargs)
    assert GONE not in bq.observe_tables("gold") and LEGACY in bq.observe_tables("gold")
    sf_names = {t.name for t in sf.observe_table_markers(_sf_desired(sandbox))}
    assert GONE.upper() not in sf_names and LEGACY.upper() in sf_names
    assert entry_id(sandbox.config, GONE) not in _queue_ids(sandbox)

    again = json.loads(cli("plan", "--output", "json", *config).stdout)
    assert again["actions"] == [] and not [w for w in again.get("warnings", []) if "orphan" in w]
    assert json.loads(cli("apply", "--yes", "--prune", "--output", "json", *config).stdout)["done"] == []


def _sf_desired(sandbox):
    from toolkit.gold.schema import read_catalog
    from toolkit.registration.desired import desired_snowflake

    return desired_snowflake(sandbox, read_catalog(sandbox, "s3"))
