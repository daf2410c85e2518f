"""KPI views, the pure part: desired views from the KPI files, their DDL (golden, parsed back by ZetaSQL and
sqlglot), and the planner: create / nothing to do / update / delete only fedkit's own / unportable reported.

Regenerate the reviewed snapshots with `FEDKIT_UPDATE_GOLDEN=1 pytest tests/unit/registration`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.registration.view_plan import (
    DesiredView,
    ObservedView,
    RefusedView,
    canonical_query,
    desired_views,
    managed_kpi,
    plan_views,
    view_key,
)
from toolkit.sql.ddl import check_bigquery, check_snowflake
from toolkit.sql.kpi_files import load_kpi_files

GOLDEN = Path(__file__).parent / "golden"
CONTAINER = {"bigquery": ("fedkit-demo", "gold"), "snowflake": ("ANALYTICS", "GOLD")}

REVENUE = """\
-- name: revenue_by_channel
-- description: Net revenue per sales channel.
SELECT
  f.channel,
  SUM(f.amount) AS revenue
FROM {{ ref('fact_sales') }} AS f
WHERE f.status <> 'Cancelled'
GROUP BY f.channel
"""
# split_part counts a negative part from the end on DuckDB and Snowflake; BigQuery has no such form: refused there.
LAST_PART = """\
-- name: last_order_part
-- description: Last dash-separated piece of an order id.
SELECT MAX(split_part(order_id, '-', -1)) AS last_part FROM {{ ref('fact_sales') }}
"""
BROKEN = """\
-- name: broken
SELECT * FROM {{ ref('no_such_table') }}
"""


@pytest.fixture
def kpis(tmp_path):
    folder = tmp_path / "kpi"
    folder.mkdir()

    def write(**files: str):
        for name, text in files.items():
            (folder / f"{name}.sql").write_text(text)
        return load_kpi_files([folder])

    return write


def _desired(engine, loaded, gold, kpis, **files):
    return desired_views(engine, loaded, gold.sample, kpis(**files))


def _as_created(entries, engine) -> dict[str, ObservedView]:
    """What the engine reports after apply: the stored name, the query as it echoes it back, the comment."""
    observed = {}
    for entry in entries:
        assert isinstance(entry, DesiredView)
        # Snowflake's SHOW VIEWS gives the whole CREATE text; BigQuery gives the query (whitespace may differ).
        text = entry.ddl if engine == "snowflake" else " ".join(entry.query.split())
        observed[entry.key] = ObservedView(entry.key, text, entry.comment)
    return observed


@pytest.mark.parametrize("engine", ["bigquery", "snowflake"])
def test_view_ddl_matches_snapshot_and_parses_back(engine, loaded, gold, kpis):
    (view,) = _desired(engine, loaded, gold, kpis, revenue=REVENUE)
    assert isinstance(view, DesiredView) and view.name == "kpi_revenue_by_channel"
    assert view.comment == "Net revenue per sales channel. | managed by fedkit (kpi revenue_by_channel)"
    path = GOLDEN / f"kpi_view.{engine}.sql"
    if os.environ.get("FEDKIT_UPDATE_GOLDEN"):
        path.write_text(view.ddl + "\n")
    assert view.ddl + "\n" == path.read_text(), f"{path} is stale: rerun with FEDKIT_UPDATE_GOLDEN=1 and review"
    if engine == "bigquery":
        check_bigquery(view.ddl)  # ZetaSQL: BigQuery's own parser
        assert "CREATE OR REPLACE VIEW `fedkit-demo`.`gold`.`kpi_revenue_by_channel`" in view.ddl
        assert "FROM `fedkit-demo.gold.fact_sales`" in view.ddl
    else:
        check_snowflake(view.ddl)  # sqlglot's Snowflake parser, fully understood (not a Command)
        assert view.ddl.startswith("CREATE OR REPLACE VIEW ANALYTICS.GOLD.kpi_revenue_by_channel\n  COPY GRANTS")
        assert "FROM ANALYTICS.GOLD.FACT_SALES" in view.ddl


def test_comment_quotes_are_escaped_not_pasted(loaded, gold, kpis):
    text = REVENUE.replace("Net revenue per sales channel.", "Owner's revenue ') AS SELECT 1 --")
    for engine, check in (("bigquery", check_bigquery), ("snowflake", check_snowflake)):
        (view,) = _desired(engine, loaded, gold, kpis, revenue=text)
        check(view.ddl)
        assert "Owner\\'s revenue \\') AS SELECT 1 --" in view.ddl or "Owner''s revenue '') AS SELECT 1 --" in view.ddl


@pytest.mark.parametrize("engine", ["bigquery", "snowflake"])
def test_from_nothing_creates_every_view_then_nothing_to_do(engine, loaded, gold, kpis):
    desired = _desired(engine, loaded, gold, kpis, revenue=REVENUE, other=REVENUE.replace("revenue_by_channel", "rev2"))
    actions = plan_views(engine, CONTAINER[engine], desired, {})
    assert [(a.action, a.resource) for a in actions] == [
        ("create", f"{engine}_view/{'gold' if engine == 'bigquery' else 'ANALYTICS.GOLD'}.kpi_rev2"),
        ("create", f"{engine}_view/{'gold' if engine == 'bigquery' else 'ANALYTICS.GOLD'}.kpi_revenue_by_channel"),
    ]
    assert all(a.diff == a.payload["view"].ddl and a.target == engine for a in actions)
    assert plan_views(engine, CONTAINER[engine], desired, _as_created(desired, engine)) == []


@pytest.mark.parametrize("engine", ["bigquery", "snowflake"])
def test_changed_kpi_or_description_is_an_update_showing_the_change(engine, loaded, gold, kpis):
    before = _desired(engine, loaded, gold, kpis, revenue=REVENUE)
    after = _desired(engine, loaded, gold, kpis, revenue=REVENUE.replace("SUM(f.amount)", "SUM(f.quantity)"))
    (update,) = plan_views(engine, CONTAINER[engine], after, _as_created(before, engine))
    assert update.action == "update" and "query changed" in update.detail
    assert "-" in update.diff and "+" in update.diff and "quantity" in update.diff
    assert update.diff.rstrip().endswith(after[0].ddl.rstrip()) and update.payload["op"] == "create_view"

    described = _desired(engine, loaded, gold, kpis, revenue=REVENUE.replace("Net revenue", "Gross revenue"))
    (update,) = plan_views(engine, CONTAINER[engine], described, _as_created(before, engine))
    assert update.action == "update" and "comment changed" in update.detail and "+ comment: Gross" in update.diff


@pytest.mark.parametrize("engine", ["bigquery", "snowflake"])
def test_only_views_fedkit_made_are_deleted(engine, loaded, gold, kpis):
    kept = _desired(engine, loaded, gold, kpis, revenue=REVENUE)
    observed = _as_created(kept, engine)
    gone = view_key(engine, "kpi_old_kpi")
    foreign = view_key(engine, "kpi_someone_elses")
    impostor = view_key(engine, "dashboard_view")  # fedkit's marker, but not the view fedkit names for that KPI
    observed[gone] = ObservedView(gone, "SELECT 1 AS x", "Old. | managed by fedkit (kpi old_kpi)")
    observed[foreign] = ObservedView(foreign, "SELECT 2 AS x", "made by hand")
    observed[impostor] = ObservedView(impostor, "SELECT 3 AS x", "copy | managed by fedkit (kpi revenue_by_channel)")
    (delete,) = plan_views(engine, CONTAINER[engine], kept, observed)
    assert delete.action == "delete" and delete.resource.endswith(f".{gone}")
    assert delete.diff == delete.payload["sql"] and delete.diff.startswith("DROP VIEW IF EXISTS")
    (check_bigquery if engine == "bigquery" else check_snowflake)(delete.diff)


@pytest.mark.parametrize("engine", ["bigquery", "snowflake"])
def test_a_foreign_view_with_the_kpi_name_is_reported_and_left_alone(engine, loaded, gold, kpis):
    desired = _desired(engine, loaded, gold, kpis, revenue=REVENUE)
    key = desired[0].key
    (action,) = plan_views(engine, CONTAINER[engine], desired, {key: ObservedView(key, "SELECT 1 AS x", "")})
    assert action.action == "drift" and "fedkit did not make it" in action.detail and action.payload == {"op": "drift"}


def test_an_unportable_kpi_is_reported_for_that_engine_only_and_does_not_block_the_others(loaded, gold, kpis):
    files = {"revenue": REVENUE, "last_part": LAST_PART, "broken": BROKEN}
    bigquery = _desired("bigquery", loaded, gold, kpis, **files)
    refused = {e.kpi: e.message for e in bigquery if isinstance(e, RefusedView)}
    assert set(refused) == {"last_order_part", "broken"}
    assert "last_part.sql" in refused["last_order_part"] and "no_such_table" in refused["broken"]
    actions = plan_views("bigquery", CONTAINER["bigquery"], bigquery, {})
    assert [(a.action, a.resource.split(".")[-1]) for a in actions] == [
        ("drift", "kpi_broken"), ("drift", "kpi_last_order_part"), ("create", "kpi_revenue_by_channel")
    ]
    assert "KPI last_order_part is not published on bigquery" in actions[1].detail

    snowflake = _desired("snowflake", loaded, gold, kpis, **files)
    assert {e.kpi for e in snowflake if isinstance(e, RefusedView)} == {"broken"}  # negative split_part is fine there
    # An existing view of a KPI that stopped compiling is kept (and said to be), never dropped.
    existing = view_key("snowflake", "kpi_broken")
    observed = {existing: ObservedView(existing, "SELECT 1 AS x", "Was fine. | managed by fedkit (kpi broken)")}
    actions = plan_views("snowflake", CONTAINER["snowflake"], snowflake, observed)
    assert [a.action for a in actions] == ["drift", "create", "create"]
    assert "keeps its previous definition" in actions[0].detail


def test_marker_and_canonical_query():
    assert managed_kpi("Revenue. | managed by fedkit (kpi revenue_by_channel)") == "revenue_by_channel"
    assert managed_kpi("managed by fedkit") is None and managed_kpi(None) is None
    assert managed_kpi("managed by fedkit (kpi x) and more") is None
    created = "CREATE OR REPLACE VIEW A.B.V COPY GRANTS COMMENT = 'c' AS\nselect  a ,\n sum(b) as s from t group by a"
    assert canonical_query(created, "snowflake") == canonical_query("SELECT a, SUM(b) AS s FROM t GROUP BY a", "snowflake")
    assert canonical_query("SELECT a FROM t", "bigquery") != canonical_query("SELECT b FROM t", "bigquery")
