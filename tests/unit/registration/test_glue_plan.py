"""The Glue planner, pure: TableInputs for the sample gold (snapshot), and plan = desired minus observed.

Regenerate the reviewed snapshot with `FEDKIT_UPDATE_GOLDEN=1 pytest tests/unit/registration/test_glue_plan.py`.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.gold.model import GoldCatalog, GoldTable
from toolkit.registration.glue_desired import desired_glue, partition_values
from toolkit.registration.glue_plan import ObservedGlue, observed_table, plan_glue, plan_glue_orphans

GOLDEN = Path(__file__).parent / "golden" / "glue_tables.json"
GLUE_SECTION = "glue:\n  database: gold_lake\n"
MONTHS = frozenset({("2024-01-01",), ("2024-02-01",)})


@pytest.fixture
def glue_loaded(loaded, make_loaded):
    """The registration tests' config with a glue: section."""
    return make_loaded(loaded.path.read_text() + GLUE_SECTION)


@pytest.fixture
def desired(glue_loaded, gold):
    return desired_glue(glue_loaded, gold.sample)


def _converged(desired, partitions=MONTHS) -> ObservedGlue:
    """What the catalog holds after fedkit registered `desired` (read back through the same parser as GetTables)."""
    tables = {t.name: observed_table(t.table_input()) for t in desired.tables}
    return ObservedGlue(True, tables, {"fact_sales": partitions}, {"fact_sales": partitions})


def test_table_inputs_match_snapshot(desired):
    text = json.dumps({t.name: t.table_input() for t in desired.tables}, indent=2) + "\n"
    if os.environ.get("FEDKIT_UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text(), f"{GOLDEN} is stale: rerun with FEDKIT_UPDATE_GOLDEN=1 and review the diff"


def test_table_input_is_an_external_parquet_table_on_the_exact_folder(desired):
    fact = {t.name: t for t in desired.tables}["fact_sales"].table_input()
    sd = fact["StorageDescriptor"]
    assert fact["TableType"] == "EXTERNAL_TABLE" and fact["Parameters"]["EXTERNAL"] == "TRUE"
    assert sd["Location"] == "s3://fedkit-demo-gold/gold/fact_sales/"  # the folder, with its trailing slash
    assert sd["SerdeInfo"]["SerializationLibrary"] == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    assert fact["PartitionKeys"] == [{"Name": "order_month", "Type": "date"}]
    assert "order_month" not in [c["Name"] for c in sd["Columns"]]  # a partition key is not also a data column
    assert {"Name": "unit_price", "Type": "decimal(10,2)"} in sd["Columns"]


def test_mixed_case_names_are_stored_lower_case_and_partition_folders_keep_their_spelling(glue_loaded, gold):
    t = gold.t
    table = gold.table("events", [("Event_ID", t("int64"))], [("Event_Day", t("date"))])
    spec = desired_glue(glue_loaded, GoldCatalog((table,))).tables[0]
    assert spec.columns == (("event_id", "bigint"),) and spec.partition_keys == (("event_day", "date"),)
    keys = ["Event_Day=2024-01-02/part-0.parquet", "Event_Day=2024-01-03/_SUCCESS", "_temporary/x/part.parquet",
            "Event_Day=2024-01-04/.part-0.parquet.crc", "Other=1/part-0.parquet"]
    assert partition_values(spec, keys) == {("2024-01-02",)}
    folder = spec.partition_input(("2024-01-02",))["StorageDescriptor"]["Location"]
    assert folder == "s3://fedkit-demo-gold/gold/events/Event_Day=2024-01-02/"


def test_first_plan_creates_database_tables_and_every_partition(desired):
    actions = plan_glue(desired, ObservedGlue(s3_partitions={"fact_sales": MONTHS}))
    assert [(a.action, a.resource) for a in actions] == [
        ("create", "glue_database/gold_lake"),
        ("create", "glue_table/gold_lake.amazon_sales_gold"),
        ("create", "glue_table/gold_lake.dim_region"),
        ("create", "glue_table/gold_lake.fact_sales"),
        ("create", "glue_partitions/gold_lake.fact_sales"),
    ]
    values = [p["Values"] for p in actions[-1].payload["partitions"]]
    assert values == [["2024-01-01"], ["2024-02-01"]]


def test_converged_catalog_plans_nothing(desired):
    assert plan_glue(desired, _converged(desired)) == []


def test_a_month_published_since_is_added_and_only_it(desired):
    observed = replace(_converged(desired), s3_partitions={"fact_sales": MONTHS | {("2024-03-01",)}})
    actions = plan_glue(desired, observed)
    assert [(a.action, a.resource) for a in actions] == [("create", "glue_partitions/gold_lake.fact_sales")]
    assert [p["Values"] for p in actions[0].payload["partitions"]] == [["2024-03-01"]]


def test_column_type_change_is_drift_and_replace_rewrites_it(desired):
    observed = _converged(desired)
    fact = observed.tables["fact_sales"]
    retyped = tuple((n, "string" if n == "quantity" else t) for n, t in fact.columns)
    observed.tables["fact_sales"] = replace(fact, columns=retyped)
    drift = plan_glue(desired, observed)
    assert [(a.action, a.resource) for a in drift] == [("drift", "glue_table/gold_lake.fact_sales")]
    assert "column quantity is string in the table but int in the Parquet" in drift[0].detail
    fixed = plan_glue(desired, observed, replace=True)
    assert [(a.action, a.payload["op"]) for a in fixed] == [("replace", "update_table")]
    assert fixed[0].payload["input"] == {t.name: t for t in desired.tables}["fact_sales"].table_input()


def test_another_location_is_rewritten_without_replace(desired):
    observed = _converged(desired)
    observed.tables["dim_region"] = replace(observed.tables["dim_region"], location="s3://fedkit-demo-gold/old/")
    actions = plan_glue(desired, observed)
    assert [(a.action, a.payload["op"]) for a in actions] == [("update", "update_table")]
    assert "s3://fedkit-demo-gold/old/" in actions[0].detail


def test_orphans_are_fedkit_tables_only_and_dropped_only_with_prune(desired, glue_loaded, gold):
    observed = _converged(desired)
    gone = GoldTable("dim_gone", "s3://fedkit-demo-gold/gold/dim_gone", gold.dim_region.columns)
    ours = desired_glue(glue_loaded, GoldCatalog((gone,))).tables[0]
    observed.tables["dim_gone"] = observed_table(ours.table_input())
    observed.tables["hand_made"] = observed_table({**ours.table_input(), "Name": "hand_made", "Parameters": {}})
    actions, warnings = plan_glue_orphans(desired, observed, prune=False)
    assert actions == [] and len(warnings) == 1 and "glue_table/gold_lake.dim_gone" in warnings[0]
    actions, warnings = plan_glue_orphans(desired, observed, prune=True)
    assert [(a.action, a.resource) for a in actions] == [("delete", "glue_table/gold_lake.dim_gone")]


def test_names_glue_cannot_store_and_single_files_are_refused(glue_loaded, gold):
    loaded = glue_loaded
    with pytest.raises(UsageError, match="Odd Table"):
        desired_glue(loaded, gold.with_odd)
    single = GoldTable("orders", "s3://fedkit-demo-gold/gold/orders.parquet", gold.dim_region.columns)
    with pytest.raises(UsageError, match="single file"):
        desired_glue(loaded, GoldCatalog((single,)))


def test_escaped_folder_values_are_registered_unescaped_on_their_exact_folder(glue_loaded, gold):
    t = gold.t
    table = gold.table("clicks", [("id", t("int64"))], [("hour", t("string"))])
    desired = desired_glue(glue_loaded, GoldCatalog((table,)))
    folder = ("2024-01-02 03%3A00",)  # Spark writes `:` as %3A in a folder name
    observed = ObservedGlue(True, {"clicks": observed_table(desired.tables[0].table_input())},
                            {"clicks": frozenset()}, {"clicks": frozenset({folder})})
    (action,) = plan_glue(desired, observed)
    (partition,) = action.payload["partitions"]
    assert partition["Values"] == ["2024-01-02 03:00"]
    assert partition["StorageDescriptor"]["Location"] == "s3://fedkit-demo-gold/gold/clicks/hour=2024-01-02 03%3A00/"
    registered = replace(observed, partitions={"clicks": frozenset({("2024-01-02 03:00",)})})
    assert plan_glue(desired, registered) == []  # the catalog's unescaped value matches the escaped folder


def test_replace_also_gives_the_registered_partitions_the_new_columns(desired):
    spec = {t.name: t for t in desired.tables}["fact_sales"]
    old = tuple((n, "string" if n == "quantity" else t) for n, t in spec.columns)
    folder = "s3://fedkit-demo-gold/gold/fact_sales/order_month=2024-01-01/"
    observed = _converged(desired)
    observed.tables["fact_sales"] = replace(observed.tables["fact_sales"], columns=old)
    observed = replace(observed, partition_details={"fact_sales": {
        ("2024-01-01",): (folder, old), ("2024-02-01",): (folder.replace("01-01", "02-01"), spec.columns)}})
    assert [a.action for a in plan_glue(desired, observed)] == ["drift"]  # without --replace: reported only
    actions = plan_glue(desired, observed, replace=True)
    assert [(a.action, a.resource) for a in actions] == [("replace", "glue_table/gold_lake.fact_sales"),
                                                         ("update", "glue_partitions/gold_lake.fact_sales")]
    (entry,) = actions[1].payload["entries"]  # only the partition whose columns differ
    assert entry["PartitionValueList"] == ["2024-01-01"]
    sd = entry["PartitionInput"]["StorageDescriptor"]
    assert sd["Location"] == folder and {"Name": "quantity", "Type": "int"} in sd["Columns"]
