"""End to end on the sandbox: `fedkit apply` from nothing registers the gold tables on BigQuery (ZetaSQL) and
Snowflake (fakesnow); a second apply has nothing to do; a Parquet schema change is reported as drift and
`replace` recreates the table; a table name with a space, mixed case and keywords work on both engines; flexible
column names (spaces, single quotes) are refused before any change when BigQuery is configured and register exactly on
a Snowflake-only project."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def sandbox(sandbox_project):
    """The published sample plus a table whose names need quoting on both engines (column names BigQuery can read)."""
    return sandbox_project(prepare=_odd_table({"Customer_Name": ["Ann", "Bob"], "Customer_Note": ["new", "vip"]}))


def _odd_table(customer: dict):
    def prepare(local) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        (local / "Odd Table").mkdir()
        pq.write_table(
            pa.table({**customer, "MixedCase": [1.5, 2.5], "select": pa.array([1, 2], pa.int64())}),
            local / "Odd Table" / "part-00000.parquet",
        )

    return prepare


def _plan(cli, loaded) -> list[dict]:
    result = cli("plan", "--config", str(loaded.path), "--output", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["actions"]


def _registration(actions: list[dict]) -> list[dict]:
    return [a for a in actions if a["target"] in ("bigquery", "snowflake")]


def test_apply_from_nothing_then_nothing_to_do_then_drift(cli, sandbox):
    from toolkit.engines.registry import get_engine
    from toolkit.gold.schema import read_catalog

    planned = _registration(_plan(cli, sandbox))
    resources = {a["resource"] for a in planned}
    assert "bigquery_connection/aws-us-east-1.fedkit_gold" in resources
    assert "bigquery_table/gold.fact_sales" in resources and "bigquery_table/gold.Odd Table" in resources
    assert any(r.startswith("snowflake_integration/") for r in resources)
    assert any(r.endswith(".fact_sales") and r.startswith("snowflake_external_table/") for r in resources)
    fact = next(a for a in planned if a["resource"] == "bigquery_table/gold.fact_sales")
    assert "WITH PARTITION COLUMNS" in fact["diff"] and "sandbox" in fact["detail"]

    applied = cli("apply", "--yes", "--config", str(sandbox.path))
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    # Idempotent across every target: the trust and notifications planned after apply use the identities and the
    # auto-refresh channel the engines report, so nothing (AWS included) is left to do.
    assert _plan(cli, sandbox) == []
    # Every external table created with AUTO_REFRESH (discovered ones too, not only gold.tables) gets its S3 event.
    from toolkit.aws import aws_client

    wired = aws_client("s3").get_bucket_notification_configuration(Bucket=sandbox.config.gold.bucket)
    prefixes = {q["Id"]: q["Filter"]["Key"]["FilterRules"][0]["Value"] for q in wired["QueueConfigurations"]}
    tables = [t.name for t in read_catalog(sandbox, "s3").tables]
    from toolkit.iam.notifications import entry_id

    assert len(prefixes) == len(tables) and entry_id(sandbox.config, "Odd Table") in prefixes
    assert entry_id(sandbox.config, "Odd Table").startswith("fedkit-snowflake-Odd-Table-")
    assert prefixes[entry_id(sandbox.config, "fact_sales")] == "gold/fact_sales/"
    # Each entry sends to its own table's notification_channel (SHOW EXTERNAL TABLES, one per table).
    queues = {q["Id"]: q["QueueArn"] for q in wired["QueueConfigurations"]}
    assert all(arn.startswith("arn:aws:sqs:") for arn in queues.values())
    # Restricted to AWS, no engine is read: the identities the role already trusts are kept, not reverted.
    aws_only = cli("plan", "--target", "aws", "--output", "json", "--config", str(sandbox.path))
    assert aws_only.exit_code == 0, aws_only.stderr
    assert json.loads(aws_only.stdout)["actions"] == []
    bad_target = cli("plan", "--target", "gcp", "--config", str(sandbox.path))
    assert bad_target.exit_code == 2 and "--clouds: unknown cloud 'gcp'" in bad_target.stderr
    again = cli("apply", "--yes", "--config", str(sandbox.path))
    assert again.exit_code == 0, again.stderr
    steps = [line for line in again.stdout.splitlines() if line.startswith("done ")]
    assert not [line for line in steps if " bigquery_" in line or " snowflake_" in line]

    rows = read_catalog(sandbox, "s3").table("fact_sales").row_count
    bigquery, snowflake = get_engine("bigquery", sandbox), get_engine("snowflake", sandbox)
    try:
        bigquery.row_limit = rows  # the evaluator is slow: a small sample keeps this test fast
        assert bigquery.run("SELECT COUNT(*) AS n FROM gold.fact_sales").column("n").to_pylist() == [rows]
        db = sandbox.config.snowflake.database
        assert snowflake.run(f"SELECT COUNT(*) AS n FROM {db}.GOLD.fact_sales").column("N").to_pylist() == [rows]
        # Odd names: quoted where needed on both engines, unquoted Snowflake names resolve case-insensitively.
        assert bigquery.run(
            "SELECT SUM(`select`) AS s, MAX(`Customer_Note`) AS note FROM gold.`Odd Table` WHERE `Customer_Name` = 'Bob'"
        ).to_pylist() == [{"s": 2, "note": "vip"}]
        assert snowflake.run(
            f'SELECT SUM("select") AS s, MAX(customer_note) AS note FROM {db}.GOLD."Odd Table" '
            f'WHERE Customer_Name = \'Bob\' AND mixedcase > 2'
        ).to_pylist() == [{"S": 2, "NOTE": "vip"}]
    finally:
        snowflake.close()


def test_parquet_schema_change_is_reported_then_replaced(cli, sandbox):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.aws import aws_client

    assert cli("apply", "--yes", "--config", str(sandbox.path)).exit_code == 0
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"Customer_Name": ["Cy"], "Customer_Note": ["-"], "MixedCase": [9.5],
                             "select": pa.array([3], pa.int64()),
                             "Added_Col": ["new"]}), sink)
    aws_client("s3").put_object(Bucket="fedkit-demo-gold", Key="gold/Odd Table/part-00000.parquet",
                                Body=sink.getvalue().to_pybytes())

    reported = cli("plan", "--config", str(sandbox.path), "--output", "json")
    data = json.loads(reported.stdout)
    assert data["actions"] == []  # drift changes nothing: kept out of the actions contract
    drift = data["drift"]
    assert {a["action"] for a in drift} == {"drift"}
    assert {a["target"] for a in drift} == {"bigquery", "snowflake"}
    assert all("Added_Col" in a["detail"] and "--replace" in a["detail"] for a in drift)

    text_plan = cli("plan", "--config", str(sandbox.path))
    assert text_plan.exit_code == 0 and "the clouds match the config" not in text_plan.stdout  # they do not
    assert text_plan.stdout.startswith("Targets:\n")  # which clouds first (issue 12 item 5), then the plan
    assert "\nNo changes to apply; drift reported below.\n" in text_plan.stdout
    assert "2 table(s) drifted from the Parquet schema: rerun with --replace" in text_plan.stdout
    plain_apply = cli("apply", "--yes", "--config", str(sandbox.path))
    assert plain_apply.exit_code == 0 and "drifted from the Parquet schema" in plain_apply.stdout
    assert json.loads(cli("plan", "--config", str(sandbox.path), "--output", "json").stdout)["drift"]  # not applied

    replaced = cli("plan", "--replace", "--output", "json", "--config", str(sandbox.path))
    planned = _registration(json.loads(replaced.stdout)["actions"])
    replacements = [a for a in planned if not a["detail"].startswith("refresh:")]
    assert {a["action"] for a in replacements} == {"replace"}
    # Snowflake: one REFRESH after every --replace ("Refreshing external tables automatically for Amazon S3").
    (refresh,) = [a for a in planned if a["detail"].startswith("refresh:")]
    assert refresh["action"] == "update" and refresh["resource"].endswith('.Odd Table')
    assert refresh["detail"].startswith("refresh: once after --replace recreated the table")
    assert all("CREATE OR REPLACE EXTERNAL TABLE" in a["diff"] for a in replacements if a["target"] == "bigquery")
    assert cli("apply", "--yes", "--replace", "--config", str(sandbox.path)).exit_code == 0
    assert _plan(cli, sandbox) == []


def test_flexible_column_names_refused_before_any_change_then_registered_on_snowflake_only(cli, sandbox_project):
    """BigQuery external tables take no flexible column names ("Introduction to external tables", Limitations): with
    BigQuery configured, plan and apply refuse in one line naming table, column, rule and fix, and nothing is created
    (no role, no BigQuery or Snowflake object). Without the bigquery: section Snowflake registers the names exactly."""
    from toolkit.aws import aws_client
    from toolkit.engines.bigquery_sandbox import state_path
    from toolkit.engines.registry import get_engine
    from toolkit.config import load_config

    loaded = sandbox_project(prepare=_odd_table({"Customer Name": ["Ann", "Bob"], "Customer's Note": ["new", "vip"]}))
    for command in (["plan"], ["apply", "--yes"]):
        refused = cli(*command, "--config", str(loaded.path))
        assert refused.exit_code == 2, refused.stdout + refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            "error: table Odd Table: column 'Customer Name' holds ' '; BigQuery external tables take no flexible column "
            "names"), lines
        assert lines[0].endswith(f"rename the column in the Parquet, or leave the bigquery: section out of "
                                 f"{loaded.path} for this project")
    roles = aws_client("iam").list_roles()["Roles"]
    assert not [r for r in roles if r["RoleName"] == loaded.config.aws.role_name]
    assert not state_path().exists() or "gold.Odd Table" not in state_path().read_text()

    text = loaded.path.read_text()
    loaded.path.write_text(text[:text.index("bigquery:")] + text[text.index("snowflake:"):])
    snowflake_only = load_config(loaded.path)
    applied = cli("apply", "--yes", "--config", str(snowflake_only.path))
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    snowflake = get_engine("snowflake", snowflake_only)
    try:
        db = snowflake_only.config.snowflake.database
        assert snowflake.run(
            f'SELECT MAX("Customer\'s Note") AS note FROM {db}.GOLD."Odd Table" WHERE "Customer Name" = \'Bob\''
        ).to_pylist() == [{"NOTE": "vip"}]
    finally:
        snowflake.close()
