"""The BigQuery sandbox adapter: ZetaSQL-checked DDL, a persisted catalog, queries evaluated on sandbox S3 data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.errors import CheckFailed, CloudError
from toolkit.registration import statements
from toolkit.registration.desired import desired_bigquery


@pytest.fixture
def registered(published):
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine
    from toolkit.gold.schema import read_catalog

    loaded, _ = published
    engine = BigQuerySandboxEngine(loaded)
    desired = desired_bigquery(loaded, read_catalog(loaded, "s3"))
    engine.create_connection(desired.location, desired.connection_id, desired.role_arn)
    engine.create_dataset(statements.bigquery_dataset(desired), desired.dataset)
    for table in desired.tables:
        engine.create_table(statements.bigquery_table(desired, table), desired, table)
    return loaded, engine, desired


def test_identity_is_deterministic_21_digits(published):
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine, sandbox_identity

    loaded, _ = published
    engine = BigQuerySandboxEngine(loaded)
    assert engine.bigquery_identity() is None  # no connection yet: nothing to trust
    created = engine.create_connection("aws-us-east-1", "fedkit_gold", "arn:aws:iam::123456789012:role/r")
    assert created.identity == sandbox_identity("fedkit-demo", "aws-us-east-1", "fedkit_gold")
    assert len(created.identity) == 21 and created.identity.isdigit()
    assert engine.bigquery_identity() == created.identity
    assert sandbox_identity("other-project", "aws-us-east-1", "fedkit_gold") != created.identity


def test_catalog_is_persisted_under_fedkit_home(registered, tmp_path):
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine, state_path

    loaded, engine, desired = registered
    saved = json.loads(state_path().read_text())["fedkit-demo"]
    assert saved["datasets"]["gold"]["location"] == "aws-us-east-1"
    assert "WITH PARTITION COLUMNS" in saved["tables"]["gold.fact_sales"]["ddl"]
    observed = BigQuerySandboxEngine(loaded).observe(desired)  # a new adapter reads the same file
    assert observed.dataset_location == "aws-us-east-1"
    assert dict(observed.tables["fact_sales"])["order_month"] == "DATE"
    assert dict(observed.tables["Odd Table"])["Customer_Name"] == "STRING"


def test_count_matches_the_parquet_and_states_the_sample(registered):
    loaded, engine, _ = registered
    from toolkit.gold.schema import read_catalog

    rows = read_catalog(loaded, "s3").table("dim_region").row_count
    result = engine.run("SELECT COUNT(*) AS n FROM gold.dim_region")
    assert result.column("n").to_pylist() == [rows]
    assert "all rows" in engine.last_note
    engine.row_limit = 5
    result = engine.run("SELECT COUNT(*) AS n FROM `fedkit-demo.gold.dim_region`")
    assert result.column("n").to_pylist() == [5]
    assert f"5 of {rows:,} rows" in engine.last_note


def test_rows_published_after_the_table_was_created_are_counted_not_assumed(registered):
    """Issue 14.1: the limit is compared with the rows the table's files hold now, not with the count recorded at
    CREATE time: publish more rows than the limit after registration -> the note says it read a part, never 'all'."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.gold.publish import publish

    loaded, engine, _ = registered
    local = loaded.config.gold.local_dir
    folder = Path(local) / "Odd Table"
    before = pq.read_table(folder / "part-00000.parquet").num_rows
    more = pa.table({"Customer_Name": [f"c{i}" for i in range(40)], "MixedCase": [float(i) for i in range(40)],
                     "select": list(range(40))})
    pq.write_table(more, folder / "part-00001.parquet")
    publish(loaded)
    engine.row_limit = before + 10  # above the recorded count, below what S3 holds now
    result = engine.run("SELECT COUNT(*) AS n FROM `gold.Odd Table`")
    assert result.column("n").to_pylist() == [before + 10]
    assert "all rows" not in engine.last_note
    assert f"{before + 10:,} of {before + 40:,} rows" in engine.last_note
    assert engine.last_partial  # machine-readable: kpi run reads it to exit non-zero
    engine.row_limit = before + 40
    engine.run("SELECT COUNT(*) AS n FROM `gold.Odd Table`")
    assert "all rows" in engine.last_note and not engine.last_partial


def test_odd_names_query_with_backticks(registered):
    _, engine, _ = registered
    result = engine.run("SELECT `Customer_Name` AS name, mixedcase FROM gold.`Odd Table` WHERE `select` = 2")
    assert result.to_pylist() == [{"name": "Bob", "mixedcase": 2.5}]


def test_sandbox_refuses_a_flexible_column_name_like_bigquery(published, tmp_path):
    """BigQuery external tables take no flexible column names ("Introduction to external tables", Limitations): the
    sandbox reads the Parquet at CREATE time, as BigQuery does, and refuses such a column instead of recording it
    (here the Parquet changed after the plan, which had checked the names)."""
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine, state_path
    from toolkit.gold.publish import publish
    from toolkit.gold.schema import read_catalog

    from .conftest import write_odd_table

    loaded, local = published
    engine = BigQuerySandboxEngine(loaded)
    desired = desired_bigquery(loaded, read_catalog(loaded, "s3"))
    engine.create_connection(desired.location, desired.connection_id, desired.role_arn)
    engine.create_dataset(statements.bigquery_dataset(desired), desired.dataset)
    write_odd_table(local, customer="Customer's Name")
    publish(loaded)
    odd = next(t for t in desired.tables if t.name == "Odd Table")
    with pytest.raises(CloudError) as caught:
        engine.create_table(statements.bigquery_table(desired, odd), desired, odd)
    message = caught.value.message
    assert message.startswith("BigQuery (sandbox): cannot create gold.Odd Table: table Odd Table: column "
                              "\"Customer's Name\" holds ' ', \"'\"; BigQuery external tables take no flexible column")
    assert "\n" not in message
    assert "gold.Odd Table" not in json.loads(state_path().read_text())["fedkit-demo"]["tables"]


def test_bigquery_semantics_reject_snowflake_functions(registered):
    _, engine, _ = registered
    with pytest.raises(CheckFailed, match="IFF"):
        engine.dry_run("SELECT IFF(quantity > 1, 1, 0) FROM gold.fact_sales")
    with pytest.raises(CheckFailed, match="Unrecognized name"):
        engine.run("SELECT no_such_column FROM gold.fact_sales")


def test_table_needs_dataset_and_connection_like_bigquery(published):
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine
    from toolkit.gold.schema import read_catalog

    loaded, _ = published
    engine = BigQuerySandboxEngine(loaded)
    desired = desired_bigquery(loaded, read_catalog(loaded, "s3"))
    with pytest.raises(CloudError, match="Not found: Dataset"):
        engine.create_table(statements.bigquery_table(desired, desired.tables[0]), desired, desired.tables[0])


def test_broken_ddl_is_refused_before_anything_is_recorded(published):
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine

    loaded, _ = published
    engine = BigQuerySandboxEngine(loaded)
    with pytest.raises(CheckFailed, match="BigQuery DDL does not parse"):
        engine.create_dataset("CREATE SCHEMA `gold` OPTIONS (location = )", "gold")
    assert engine.dataset_location("gold") is None


def test_registry_keeps_every_record_when_processes_write_at_once(published):
    """Two applies (or an apply and a view publish) write the registry at once: no record may be lost (issue 10)."""
    from concurrent.futures import ThreadPoolExecutor

    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine, state_path

    loaded, _ = published

    def add(i: int) -> None:
        BigQuerySandboxEngine(loaded).create_connection("aws-us-east-1", f"conn_{i}", f"arn:aws:iam::123456789012:role/r{i}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(add, range(24)))
    recorded = json.loads(state_path().read_text())["fedkit-demo"]["connections"]
    assert sorted(recorded) == sorted(f"aws-us-east-1.conn_{i}" for i in range(24))
