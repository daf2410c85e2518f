"""The Snowflake adapters through the real snowflake-connector-python against fakesnow's server."""

from __future__ import annotations

import pytest

from toolkit.errors import CheckFailed, UsageError
from toolkit.registration import statements
from toolkit.registration.desired import desired_snowflake
from toolkit.registration.plan import plan_snowflake_integration, plan_snowflake_objects


def _desired(loaded):
    from toolkit.gold.schema import read_catalog

    return desired_snowflake(loaded, read_catalog(loaded, "s3"))


def _apply_all(engine, desired) -> None:
    for action in plan_snowflake_integration(desired, engine.observe(desired)):
        engine.create_integration(action.payload["sql"], desired)
    for action in plan_snowflake_objects(desired, engine.observe(desired)):
        op, sql = action.payload["op"], action.payload["sql"]
        if op == "create_stage":
            engine.create_stage(sql, desired)
        elif op == "create_external_table":
            table = next(t for t in desired.tables if t.name == action.payload["table"])
            engine.create_external_table(sql, desired, table)
        else:
            engine.create_object(sql)


def test_integration_is_emulated_with_a_stable_identity(sf_engine, sf_published):
    from toolkit.engines.snowflake_sandbox import sandbox_identity

    desired = _desired(sf_published)
    assert sf_engine.snowflake_identity() is None
    (create,) = plan_snowflake_integration(desired, sf_engine.observe(desired))
    assert create.action == "create"
    sf_engine.create_integration(create.payload["sql"], desired)
    arn, external_id = sf_engine.snowflake_identity()
    assert (arn, external_id) == sandbox_identity(desired.integration)
    assert arn.startswith("arn:aws:iam::") and ":user/" in arn
    # A second create is a no-op, and an ALTER keeps the external id (the trust must not break).
    sf_engine.create_integration(create.payload["sql"], desired)
    sf_engine.alter_integration(statements.snowflake("alter_integration", desired), desired)
    assert sf_engine.snowflake_identity() == (arn, external_id)
    assert plan_snowflake_integration(desired, sf_engine.observe(desired)) == []


def test_create_or_replace_integration_is_refused(sf_engine, sf_published):
    desired = _desired(sf_published)
    sql = statements.snowflake("storage_integration", desired).replace("CREATE ", "CREATE OR REPLACE ", 1)
    with pytest.raises(UsageError, match="refusing CREATE OR REPLACE"):
        sf_engine.create_integration(sql, desired)


def test_invalid_ddl_is_refused_by_the_sqlglot_check(sf_engine, sf_published):
    desired = _desired(sf_published)
    with pytest.raises(CheckFailed, match="Snowflake DDL"):
        sf_engine.create_stage("CREATE STAGE (", desired)


def test_register_everything_then_plan_is_empty(sf_engine, sf_published):
    from toolkit.gold.schema import read_catalog

    desired = _desired(sf_published)
    _apply_all(sf_engine, desired)
    observed = sf_engine.observe(desired)
    assert observed.database and observed.schema and observed.file_format
    assert observed.stage.url == "s3://fedkit-demo-gold/gold/"
    assert plan_snowflake_integration(desired, observed) == []
    assert plan_snowflake_objects(desired, observed) == []

    db = desired.database
    catalog = read_catalog(sf_published, "s3")
    count = sf_engine.run(f"SELECT COUNT(*) AS n FROM {db}.GOLD.FACT_SALES")
    assert count.column("N").to_pylist() == [catalog.table("fact_sales").row_count]
    # Partition values come from the hive folders; unquoted virtual columns resolve case-insensitively.
    months = sf_engine.run(f"SELECT COUNT(DISTINCT order_month) AS m FROM {db}.GOLD.fact_sales")
    folders = {c for c in catalog.table("fact_sales").columns if c.partition}
    assert folders and months.column("M").to_pylist()[0] >= 1
    amazon = sf_engine.run(f"SELECT COUNT(order_id) AS n FROM {db}.GOLD.amazon_sales_gold")
    assert amazon.column("N").to_pylist() == [catalog.table("amazon_sales_gold").row_count]


def test_odd_names_are_quoted_and_queryable(sf_engine, sf_published):
    desired = _desired(sf_published)
    _apply_all(sf_engine, desired)
    rows = sf_engine.run(
        f'SELECT "Customer Name" AS name, "Customer\'s Note" AS note, "Say ""Hi""" AS hi, mixedcase AS m '
        f'FROM {desired.database}.GOLD."Odd Table" WHERE "select" = 2'
    ).to_pylist()
    assert rows == [{"NAME": "Bob", "NOTE": "vip", "HI": "hi", "M": 2.5}]


def test_sandbox_dry_run_compiles_without_rows(sf_engine, sf_published):
    from toolkit.errors import CloudError

    desired = _desired(sf_published)
    _apply_all(sf_engine, desired)
    assert sf_engine.dry_run(f"SELECT COUNT(*) FROM {desired.database}.GOLD.fact_sales;") is None
    with pytest.raises(CloudError, match="NO_SUCH_COLUMN|no_such_column"):
        sf_engine.dry_run(f"SELECT no_such_column FROM {desired.database}.GOLD.fact_sales")


def test_single_quotes_in_table_and_column_names_are_created_and_replaced(sf_engine, sf_published):
    """A `'` in a name is valid Snowflake; the sandbox builds such a table too (fakesnow's status line cannot echo
    it, so the copy is renamed into place) and replacing it keeps working."""
    from dataclasses import replace

    desired = _desired(sf_published)
    _apply_all(sf_engine, desired)
    odd = next(t for t in desired.tables if t.name == "Odd Table")
    renamed = replace(odd, name="Bob's Table")  # the same Parquet folder under a name holding a quote
    sql = statements.snowflake_table(desired, renamed)
    assert "CREATE EXTERNAL TABLE IF NOT EXISTS " + desired.database + '.GOLD."Bob\'s Table" (' in sql
    sf_engine.create_external_table(sql, desired, renamed)
    query = f'SELECT "Customer\'s Note" AS n FROM {desired.database}.GOLD."Bob\'s Table" WHERE "select" = 2'
    assert sf_engine.run(query).to_pylist() == [{"N": "vip"}]
    sf_engine.create_external_table(statements.snowflake_table(desired, renamed, replace=True), desired, renamed,
                                    replace=True)
    assert sf_engine.run(query).to_pylist() == [{"N": "vip"}]
    assert sf_engine.run(f'SELECT COUNT(*) AS c FROM {desired.database}.GOLD."Bob\'s Table"').to_pylist() == [{"C": 3}]


def test_schema_change_is_drift_and_replace_recreates(sf_engine, sf_published):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.aws import aws_client

    desired = _desired(sf_published)
    _apply_all(sf_engine, desired)
    # The gold engineer adds a column: rewrite dim_region in S3 with one more column.
    table = pa.table({"region_id": pa.array([1], pa.int64()), "country": ["DE"], "region": ["EU"], "zone": ["C"]})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    aws_client("s3").put_object(Bucket="fedkit-demo-gold", Key="gold/dim_region/part-00000.parquet",
                                Body=sink.getvalue().to_pybytes())
    changed = _desired(sf_published)
    (drift,) = plan_snowflake_objects(changed, sf_engine.observe(changed))
    assert drift.action == "drift" and "zone" in drift.detail and "--replace" in drift.detail
    (replace,) = plan_snowflake_objects(changed, sf_engine.observe(changed), replace=True)
    assert replace.action == "replace" and "CREATE OR REPLACE EXTERNAL TABLE" in replace.diff
    spec = next(t for t in changed.tables if t.name == "dim_region")
    sf_engine.create_external_table(replace.payload["sql"], changed, spec, replace=True)
    assert plan_snowflake_objects(changed, sf_engine.observe(changed)) == []
    assert sf_engine.run(f"SELECT zone FROM {changed.database}.GOLD.dim_region").to_pylist() == [{"ZONE": "C"}]


def test_cloud_adapter_runs_queries_through_the_connector(sf_published, fakesnow_kwargs):
    from toolkit.engines.snowflake import SnowflakeCloudEngine

    engine = SnowflakeCloudEngine(sf_published, connect_kwargs=fakesnow_kwargs)
    try:
        assert engine.connect_kwargs()["session_parameters"]["TIMEZONE"] == "UTC"
        assert engine.run("SELECT 1 + 1 AS two").to_pylist() == [{"TWO": 2}]
        assert engine.execute("SHOW PARAMETERS LIKE 'TIMEZONE' IN SESSION")[0]["value"] in ("UTC", "Etc/UTC")
        desired = _desired(sf_published)
        engine.create_object(statements.snowflake("database", desired))
        engine.create_object(statements.snowflake("schema", desired))
        engine.create_object(statements.snowflake("file_format", desired))
        # The SHOW statements observe uses (SHOW EXTERNAL TABLES / INTEGRATIONS are what fakesnow lacks).
        assert engine._show("DATABASES", desired.database)[0]["name"] == desired.database
        assert engine._show("SCHEMAS", "GOLD", f" IN DATABASE {desired.database}")
        assert engine.observe_stage(desired) is None
        assert engine._show("FILE FORMATS", desired.file_format, engine._schema_scope(desired))
    finally:
        engine.close()


@pytest.mark.parametrize("name", ["fact_sales", "Bob's Table"])
def test_a_load_that_interleaves_with_another_replaces_rows_instead_of_appending(sf_engine, sf_published,
                                                                                 fakesnow_kwargs, name):
    """Two applies materialising one external table at once (issue 10): whatever the other load left in the table,
    this load's rows replace it. Deterministic interleaving: the other adapter runs a whole load while this one sits
    between its COPY and putting the rows in place."""
    from dataclasses import replace

    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine

    desired = _desired(sf_published)
    _apply_all(sf_engine, desired)
    source = "Odd Table" if "'" in name else name
    spec = replace(next(t for t in desired.tables if t.name == source), name=name)
    sql = statements.snowflake_table(desired, spec)
    other = SnowflakeSandboxEngine(sf_published, connect_kwargs=fakesnow_kwargs)
    other.observe(desired)  # as an apply does first (it also makes the database current, which fakesnow's COPY needs)
    original = sf_engine.execute
    interleaved = []

    def execute(statement, params=None):
        result = original(statement, params)
        if statement.startswith("COPY INTO") and not interleaved:
            interleaved.append(statement)
            other.create_external_table(sql, desired, spec)  # the other apply, start to finish
        return result

    sf_engine.execute = execute
    try:
        sf_engine.create_external_table(sql, desired, spec)
    finally:
        sf_engine.execute = original
        other.close()
    assert interleaved
    from toolkit.sql.ddl import sf_ident

    count = sf_engine.run(f"SELECT COUNT(*) AS c FROM {desired.database}.GOLD.{sf_ident(name)}").to_pylist()
    from toolkit.gold.schema import read_catalog

    assert count == [{"C": read_catalog(sf_published, "s3").table(source).row_count}]
