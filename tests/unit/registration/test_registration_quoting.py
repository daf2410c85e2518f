"""Names with quotes, spaces, mixed case and keywords are quoted correctly on both engines (never pasted raw)."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from toolkit.errors import UsageError
from toolkit.registration.desired import desired_bigquery, desired_snowflake
from toolkit.sql.ddl import bq_ident, bq_string, check_bigquery, render_all, sf_ident, sf_stage_ref, sf_string, sf_value_path


def _column_defs(sql: str, dialect: str) -> dict[str, bool]:
    """name -> quoted, for every column definition the parser finds."""
    tree = sqlglot.parse_one(sql, read=dialect)
    return {c.this.this: c.this.quoted for c in tree.find_all(exp.ColumnDef)}


def test_snowflake_names_unquoted_when_plain_quoted_otherwise():
    assert sf_ident("Order_ID") == "Order_ID"  # resolves as ORDER_ID, like BigQuery/DuckDB names
    assert sf_ident("Customer's Name") == '"Customer\'s Name"'
    assert sf_ident('Say "Hi"') == '"Say ""Hi"""'
    assert sf_ident("select") == '"select"'  # reserved: must be quoted
    assert sf_ident('"MixedDb"') == '"MixedDb"'  # a config name written quoted keeps its case
    assert sf_ident("1st") == '"1st"'


def test_snowflake_value_keys_keep_exact_case():
    assert sf_value_path("Order_ID") == 'value:"Order_ID"'
    assert sf_value_path("Customer's Name") == "value:\"Customer's Name\""
    assert sf_value_path('Say "Hi"') == "value['Say \"Hi\"']"
    assert sf_string("it's") == "'it\\'s'"


def test_bigquery_names_always_backticked_and_refused_when_impossible():
    assert bq_ident("Odd Table") == "`Odd Table`"
    assert bq_ident("Customer's Name") == "`Customer's Name`"
    assert bq_string("s3://b/it's/*") == "'s3://b/it\\'s/*'"
    for bad in ("a`b", "a\\b", "tab\there"):
        with pytest.raises(UsageError, match="BigQuery name"):
            bq_ident(bad)


def test_stage_paths_are_never_quoted():
    """LOCATION takes no string literal (Snowflake "CREATE EXTERNAL TABLE"): a path a bare reference cannot spell is
    refused, never quoted (the planner never asks for one: toolkit.registration.files.stage_folder)."""
    assert sf_stage_ref("DB.S.ST", "fact_sales") == "@DB.S.ST/fact_sales/"
    assert sf_stage_ref("DB.S.ST", "") == "@DB.S.ST/"
    with pytest.raises(UsageError, match="no quoting there"):
        sf_stage_ref("DB.S.ST", "Odd Table")


def test_odd_table_round_trips_through_both_parsers(loaded, gold):
    snowflake = dict(render_all(loaded, gold.with_odd, ("snowflake",))["snowflake"])["external_table/Odd Table"]
    names = _column_defs(snowflake, "snowflake")
    assert names == {"Customer's Name": True, "select": True, "MixedCase": False}
    tree = sqlglot.parse_one(snowflake, read="snowflake")
    assert tree.find(exp.Table).this.this == "Odd Table" and tree.find(exp.Table).this.quoted
    bigquery = dict(render_all(loaded, gold.with_odd_bq)["bigquery"])["table/gold.Odd Table"]
    assert "`gold`.`Odd Table`" in bigquery and "'s3://fedkit-demo-gold/gold/Odd Table/*.parquet'" in bigquery
    check_bigquery(bigquery)


def test_double_quote_in_column_refused_for_bigquery_accepted_for_snowflake(loaded, gold):
    from toolkit.gold.model import GoldCatalog

    catalog = GoldCatalog((gold.quoted,))
    with pytest.raises(UsageError, match=r"""^table quoted: column 'Say "Hi"' holds ' ', '"'; BigQuery external"""):
        desired_bigquery(loaded, catalog)
    spec = desired_snowflake(loaded, catalog)
    assert spec.tables[0].columns[0].name == 'Say "Hi"'


def test_flexible_column_names_refused_for_bigquery_before_any_change(loaded, gold):
    """BigQuery external tables take no flexible column names (docs: "Introduction to external tables", Limitations):
    real BigQuery would refuse the table only when it reads the Parquet, midway through an apply."""
    with pytest.raises(UsageError) as caught:
        desired_bigquery(loaded, gold.with_odd)
    message = caught.value.message
    assert message.startswith("table Odd Table: column \"Customer's Name\" holds ' ', \"'\"; BigQuery external tables "
                              "take no flexible column names: only letters a-z A-Z, digits and '_'")
    assert message.endswith(f"; rename the column in the Parquet, or leave the bigquery: section out of {loaded.path} "
                            "for this project") and "\n" not in message


def test_flexible_partition_key_refused_for_bigquery(loaded, gold):
    from toolkit.gold.model import GoldCatalog

    table = gold.table("sales", [("id", gold.t("int64"))], [("order-month", gold.t("date"))])
    with pytest.raises(UsageError, match=r"^table sales: partition key 'order-month' holds '-'; BigQuery external"):
        desired_bigquery(loaded, GoldCatalog((table,)))


def test_snowflake_only_project_keeps_flexible_names(make_loaded, gold):
    """The rule is BigQuery's: without a bigquery: section the names register on Snowflake, quoted exactly."""
    text = make_loaded().path.read_text()
    ddl = render_all(make_loaded(text[:text.index("bigquery:")] + text[text.index("snowflake:"):]), gold.with_odd)
    assert list(ddl) == ["snowflake"]
    assert "\"Customer's Name\" VARCHAR AS (value:\"Customer's Name\"::VARCHAR)" in dict(ddl["snowflake"])[
        "external_table/Odd Table"]


def test_columns_differing_only_by_case_are_refused(loaded, gold):
    from toolkit.gold.model import GoldCatalog

    clash = gold.table("clash", [("Amount", gold.t("int64")), ("amount", gold.t("int64"))])
    for build in (desired_bigquery, desired_snowflake):
        with pytest.raises(UsageError, match="differ only by case"):
            build(loaded, GoldCatalog((clash,)))


def test_snowflake_pseudo_column_names_are_refused(loaded, gold):
    from toolkit.gold.model import GoldCatalog

    table = gold.table("kv", [("key", gold.t("string")), ("Value", gold.t("string"))])
    with pytest.raises(UsageError, match="clashes with the Snowflake external table's own VALUE"):
        desired_snowflake(loaded, GoldCatalog((table,)))


def test_types_come_from_the_type_map(loaded, gold):
    spec = desired_snowflake(loaded, gold.sample)
    fact = next(t for t in spec.tables if t.name == "fact_sales")
    types = {c.name: c.type for c in fact.columns}
    assert types["unit_price"] == "NUMBER(10, 2)" and types["order_ts"] == "TIMESTAMP_TZ"
    assert fact.partition_by == ("order_month",)
    bq = desired_bigquery(loaded, gold.sample)
    assert dict(next(t for t in bq.tables if t.name == "fact_sales").columns)["amount"] == "NUMERIC(12, 2)"


def test_partition_value_is_found_by_its_whole_key_when_one_key_ends_another(loaded, gold):
    from toolkit.gold.model import GoldCatalog

    nested = gold.table("events", [("id", gold.t("int64"))], [("odt", gold.t("string")), ("dt", gold.t("date"))])
    ddl = dict(render_all(loaded, GoldCatalog((nested,)))["snowflake"])["external_table/events"]
    assert "SPLIT_PART(metadata$filename, '/dt=', 2)" in ddl and "SPLIT_PART(metadata$filename, '/odt=', 2)" in ddl
    # What Snowflake computes from a file's path, evaluated with the same SPLIT_PART semantics on DuckDB.
    import duckdb

    path = "events/odt=2024/dt=2024-01-02/part-0.parquet"
    spec = {c.name: c for c in desired_snowflake(loaded, GoldCatalog((nested,))).tables[0].columns}
    sql = f"SELECT split_part(split_part('{path}', '{spec['dt'].partition_key}', 2), '/', 1)"
    found = duckdb.connect().execute(sql).fetchone()
    assert found == ("2024-01-02",)  # a bare 'dt=' would have matched inside 'odt=' and given '2024'
