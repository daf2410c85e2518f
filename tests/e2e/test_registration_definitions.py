"""End to end on the sandbox: tables registered by an older fedkit (Snowflake `PATTERN = '.*[.]parquet'`, BigQuery
`uris = ['…/*']`) are shown by `fedkit plan` as replacements naming old → new, recreated by `fedkit apply` without
--replace, and a second plan is empty. The older definitions are simulated by editing the sandboxes' recorded DDL, the
text they read definitions back from (as the clouds report them: Snowflake SHOW EXTERNAL TABLES + GET_DDL, BigQuery
tables.get's sourceUris)."""

from __future__ import annotations

import json

from toolkit.registration.freshness import REPLACED_DETAIL


def _plan(cli, loaded) -> list[dict]:
    result = cli("plan", "--config", str(loaded.path), "--output", "json")
    assert result.exit_code == 0, result.stderr
    return [a for a in json.loads(result.stdout)["actions"] if a["target"] in ("bigquery", "snowflake")]


def _make_old(loaded) -> str:
    """Rewrite the recorded definitions of `dim_region` as yesterday's fedkit wrote them; the old PATTERN's text."""
    from toolkit.engines.bigquery_sandbox import state_path
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine
    from toolkit.fsutil import update_json
    from toolkit.gold.schema import read_catalog
    from toolkit.registration.desired import desired_snowflake

    with update_json(state_path()) as data:
        entry = data["fedkit-demo"]["tables"]["gold.dim_region"]
        assert "/dim_region/*.parquet'" in entry["ddl"]
        entry["ddl"] = entry["ddl"].replace("/dim_region/*.parquet'", "/dim_region/*'")

    desired = desired_snowflake(loaded, read_catalog(loaded, "s3"))
    pattern = next(t.pattern for t in desired.tables if t.name == "dim_region")
    engine = SnowflakeSandboxEngine(loaded)
    try:
        key = f"{desired.database}.GOLD.DIM_REGION"
        engine.execute("UPDATE FEDKIT_SANDBOX.EMULATION.OBJECTS SET DDL = REPLACE(DDL, %s, %s) "
                       "WHERE KIND = 'external_table' AND NAME = %s", (f"'{pattern}'", "'.*[.]parquet'", key))
    finally:
        engine.close()
    return pattern


def test_old_definitions_are_planned_as_replacements_and_converge(cli, sandbox_project):
    loaded = sandbox_project(orders=60, seed=4)
    assert cli("apply", "--yes", "--config", str(loaded.path)).exit_code == 0
    assert _plan(cli, loaded) == []

    pattern = _make_old(loaded)
    planned = {(a["target"], a["resource"].rsplit(".", 1)[-1], a["action"]): a for a in _plan(cli, loaded)}
    sf, bq = planned.pop(("snowflake", "dim_region", "replace")), planned.pop(("bigquery", "dim_region", "replace"))
    assert f"PATTERN '.*[.]parquet' → '{pattern}'" in sf["detail"]
    assert sf["diff"].startswith("- PATTERN = '.*[.]parquet'\n+ PATTERN = ")
    assert "CREATE OR REPLACE EXTERNAL TABLE" in sf["diff"]
    assert "/dim_region/*'] → [" in bq["detail"]
    # Snowflake needs one REFRESH after a recreation (toolkit.registration.freshness); nothing else changes.
    (refresh,) = planned.values()
    assert refresh["resource"] == sf["resource"] and refresh["detail"].startswith(REPLACED_DETAIL)

    text = cli("plan", "--config", str(loaded.path))
    assert text.exit_code == 0, text.stderr
    assert "replace" in text.stdout and "reads other files than fedkit defines" in text.stdout

    applied = cli("apply", "--yes", "--config", str(loaded.path))  # no --replace: fedkit owns the file selection
    assert applied.exit_code == 0, applied.stderr
    assert _plan(cli, loaded) == []
