"""Orphans (issue 12 item 3), the pure part: only tables carrying fedkit's own marker, for a gold table that is gone,
are listed; warnings without --prune, `delete` actions with it."""

from __future__ import annotations

from toolkit.registration.orphans import ObservedTable, find_orphans, managed_table, plan_orphans, table_comment

LABEL = (("managed-by", "fedkit"),)


def test_marker_round_trips_and_names_the_table():
    assert table_comment("Odd Table") == "managed by fedkit (gold table Odd Table)"
    assert managed_table(table_comment("Odd Table")) == "Odd Table"
    assert managed_table("sales numbers") is None and managed_table(None) is None


def test_only_marked_tables_missing_from_the_gold_layer_are_orphans_on_bigquery():
    observed = [
        ObservedTable("fact_sales", table_comment("fact_sales"), LABEL),  # still wanted
        ObservedTable("dim_region", table_comment("dim_region"), LABEL),  # gone: orphan
        ObservedTable("by_hand", "my own table", ()),  # not fedkit's
        ObservedTable("copied", table_comment("dim_region"), LABEL),  # marker names another table
        ObservedTable("no_label", table_comment("no_label"), ()),  # description without fedkit's label
    ]
    assert [t.name for t in find_orphans("bigquery", ["fact_sales"], observed)] == ["dim_region"]


def test_snowflake_compares_stored_upper_case_names():
    observed = [ObservedTable("DIM_REGION", table_comment("dim_region")), ObservedTable("FACT_SALES", table_comment("fact_sales")),
                ObservedTable("LEGACY", "")]
    assert [t.name for t in find_orphans("snowflake", ["fact_sales"], observed)] == ["DIM_REGION"]


def test_without_prune_orphans_are_warnings_and_nothing_is_deleted():
    orphan = ObservedTable("dim_region", table_comment("dim_region"), LABEL)
    actions, warnings = plan_orphans("bigquery", "gold", [orphan], {"dim_region": "DROP …"}, prune=False)
    assert actions == []
    assert warnings == ["bigquery_table/gold.dim_region: orphan: no gold table dim_region any more; "
                        "`fedkit apply --prune` drops it"]


def test_with_prune_each_orphan_is_a_delete_with_its_ddl():
    orphan = ObservedTable("DIM_REGION", table_comment("dim_region"))
    sql = "DROP EXTERNAL TABLE IF EXISTS A.B.DIM_REGION"
    actions, warnings = plan_orphans("snowflake", "A.B", [orphan], {"DIM_REGION": sql}, prune=True)
    assert warnings == []
    [action] = actions
    assert (action.action, action.resource, action.detail, action.diff) == (
        "delete", "snowflake_external_table/A.B.DIM_REGION", "orphan: no gold table dim_region any more", sql)
    assert action.payload == {"op": "drop_orphan", "sql": sql, "name": "DIM_REGION", "table": "dim_region"}


def test_drop_statements_quote_the_name_and_parse_back(loaded, gold):
    import pytest

    from toolkit.errors import CheckFailed
    from toolkit.registration import statements
    from toolkit.registration.desired import desired_bigquery, desired_snowflake
    from toolkit.sql.ddl import check_bigquery, check_snowflake

    bq = statements.bigquery_drop_table(desired_bigquery(loaded, gold.with_odd_bq), "Odd Table")
    assert bq == "DROP EXTERNAL TABLE IF EXISTS `gold`.`Odd Table`"
    check_bigquery(bq)
    sf = statements.snowflake_drop_table(desired_snowflake(loaded, gold.with_odd), "Odd Table")
    assert sf == 'DROP EXTERNAL TABLE IF EXISTS ANALYTICS.GOLD."Odd Table"'
    check_snowflake(sf)
    with pytest.raises(CheckFailed):  # the shape check accepts one table name, never a second statement
        check_snowflake('DROP EXTERNAL TABLE IF EXISTS ANALYTICS.GOLD.X; DROP DATABASE ANALYTICS')
