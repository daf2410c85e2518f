"""End to end on the sandbox with `kpi.publish_views: true`: `fedkit apply` publishes each KPI as a view on BigQuery
(ZetaSQL) and Snowflake (fakesnow); the views return the same rows as `fedkit kpi run --engine duckdb`; a second
apply has nothing to do; an edited KPI is an update and a removed KPI's view is dropped."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

REPO_KPIS = Path(__file__).resolve().parents[2] / "sql" / "kpi"
KPIS = ("revenue_by_category", "amazon_revenue_by_category", "monthly_revenue_growth")


@pytest.fixture
def sandbox(sandbox_project, tmp_path):
    """The published sample, three KPI files and `kpi.publish_views: true`."""
    kpis = tmp_path / "kpi"
    kpis.mkdir()
    for name in KPIS:
        shutil.copy(REPO_KPIS / f"{name}.sql", kpis / f"{name}.sql")
    return sandbox_project(orders=150, seed=5, extra_yaml=f"kpi:\n  paths: [{kpis}]\n  publish_views: true\n")


def _plan(cli, loaded) -> list[dict]:
    result = cli("plan", "--config", str(loaded.path), "--output", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["actions"]


def _views(actions: list[dict]) -> dict[str, dict]:
    return {a["resource"]: a for a in actions if a["resource"].split("/")[0] in ("bigquery_view", "snowflake_view")}


def _typed(value):
    """`kpi run --output json` prints decimals and dates as text: read them back for a typed comparison."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _duckdb_results(cli, loaded) -> dict[str, tuple[list[str], list[tuple]]]:
    args = [arg for name in KPIS for arg in ("--kpi", name)]
    result = cli("kpi", "run", "--engine", "duckdb", *args, "--output", "json", "--config", str(loaded.path))
    assert result.exit_code == 0, result.stderr
    runs = json.loads(result.stdout)["results"]
    return {r["kpi"]: (r["columns"], [tuple(_typed(v) for v in row) for row in r["rows"]]) for r in runs}


def test_apply_publishes_kpi_views_with_the_same_rows_as_duckdb_then_converges(cli, sandbox):
    from toolkit.engines.registry import get_engine
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.parity.compare import compare_rows, table_rows

    db = sandbox.config.snowflake.database
    planned = _views(_plan(cli, sandbox))
    for kpi in KPIS:
        bq, sf = planned[f"bigquery_view/gold.kpi_{kpi}"], planned[f"snowflake_view/{db}.GOLD.kpi_{kpi}"]
        assert bq["action"] == sf["action"] == "create"
        assert bq["diff"].startswith("CREATE OR REPLACE VIEW `fedkit-demo`.`gold`.`kpi_") and "sandbox" in bq["detail"]
        assert sf["diff"].startswith(f"CREATE OR REPLACE VIEW {db}.GOLD.kpi_") and "COPY GRANTS" in sf["diff"]

    applied = cli("apply", "--yes", "--config", str(sandbox.path))
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    assert _plan(cli, sandbox) == []  # views included: nothing left to do

    reference = _duckdb_results(cli, sandbox)
    snowflake, bigquery = get_engine("snowflake", sandbox), get_engine("bigquery", sandbox)
    try:
        for kpi in KPIS:
            columns, rows = reference[kpi]
            table = snowflake.run(f"SELECT * FROM {db}.GOLD.KPI_{kpi.upper()}")
            result = compare_rows(columns, rows, table.column_names, table_rows(table), engine="snowflake view")
            assert result.passed, f"{kpi}: {result.message}"
            assert len(rows) > 1
        bigquery.row_limit = max(t.row_count for t in read_catalog(sandbox, "s3").tables)  # every row, still small
        table = bigquery.run("SELECT * FROM `fedkit-demo.gold.kpi_revenue_by_category`")  # the view, inlined
        columns, rows = reference["revenue_by_category"]
        result = compare_rows(columns, rows, table.column_names, table_rows(table), engine="bigquery view")
        assert result.passed, result.message
    finally:
        snowflake.close()


def test_edited_kpi_is_updated_and_removed_kpi_view_is_dropped(cli, sandbox):
    from toolkit.engines.registry import get_engine

    assert cli("apply", "--yes", "--config", str(sandbox.path)).exit_code == 0
    folder = sandbox.resolve(sandbox.config.kpi.paths[0])
    edited = folder / "revenue_by_category.sql"
    edited.write_text(edited.read_text().replace("SUM(f.quantity) AS units", "SUM(f.quantity) AS units_sold"))
    (folder / "monthly_revenue_growth.sql").unlink()

    db = sandbox.config.snowflake.database
    planned = _views(_plan(cli, sandbox))
    assert {resource: a["action"] for resource, a in planned.items()} == {
        "bigquery_view/gold.kpi_revenue_by_category": "update",
        f"snowflake_view/{db}.GOLD.kpi_revenue_by_category": "update",
        "bigquery_view/gold.kpi_monthly_revenue_growth": "delete",
        f"snowflake_view/{db}.GOLD.KPI_MONTHLY_REVENUE_GROWTH": "delete",
    }
    update = planned[f"snowflake_view/{db}.GOLD.kpi_revenue_by_category"]
    assert "-  SUM(f.quantity) AS units\n" in update["diff"] and "+  SUM(f.quantity) AS units_sold" in update["diff"]

    assert cli("apply", "--yes", "--config", str(sandbox.path)).exit_code == 0
    assert _plan(cli, sandbox) == []
    snowflake = get_engine("snowflake", sandbox)
    try:
        names = {r["name"] for r in snowflake.execute(f"SHOW VIEWS IN SCHEMA {db}.GOLD")}
        assert names == {"KPI_REVENUE_BY_CATEGORY", "KPI_AMAZON_REVENUE_BY_CATEGORY"}
        assert snowflake.run(f"SELECT * FROM {db}.GOLD.KPI_REVENUE_BY_CATEGORY").column_names[-1] == "UNITS_SOLD"
    finally:
        snowflake.close()
    assert set(get_engine("bigquery", sandbox).observe_views(("fedkit-demo", "gold"))) == {
        "kpi_revenue_by_category", "kpi_amazon_revenue_by_category"
    }
