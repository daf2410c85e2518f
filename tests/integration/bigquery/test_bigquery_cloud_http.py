"""The real google-cloud-bigquery and google-cloud-bigquery-connection clients against a local HTTP server.

The server (pytest-httpserver) speaks the few REST endpoints the adapter uses; the assertions are on the requests
it received (dataset location, connection body, DDL text, dry-run flag), not on mocked Python methods.
"""

from __future__ import annotations

import json
import re

import pytest
from werkzeug import Request, Response

from toolkit.config import load_config
from toolkit.errors import CloudError

PROJECT = "fedkit-demo"
BQ = f"/bigquery/v2/projects/{PROJECT}"
CONN = f"/v1/projects/{PROJECT}/locations/aws-us-east-1/connections"
IDENTITY = "112233445566778899001"

CONFIG = """\
version: 1
gold: {bucket: fedkit-demo-gold, prefix: gold/}
aws: {account_id: "123456789012", region: us-east-1, role_name: fedkit-gold-reader}
bigquery: {project: fedkit-demo, location: aws-us-east-1, dataset: gold, connection_id: fedkit_gold}
"""


@pytest.fixture
def engine(httpserver, tmp_path):
    from google.auth.credentials import AnonymousCredentials

    from toolkit.engines.bigquery import BigQueryCloudEngine

    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG)
    endpoint = httpserver.url_for("").rstrip("/")
    engine = BigQueryCloudEngine(
        load_config(path), credentials=AnonymousCredentials(), client_options={"api_endpoint": endpoint}
    )
    yield engine
    engine.close()


def _jobs(httpserver, bytes_processed: int = 0):
    """jobs.insert echoes the job as DONE; getQueryResults says complete with no rows."""

    def insert(request: Request) -> Response:
        body = json.loads(request.data)
        job_id = body.get("jobReference", {}).get("jobId", "job")
        resource = {
            "jobReference": {"projectId": PROJECT, "jobId": job_id, "location": "aws-us-east-1"},
            "configuration": body["configuration"],
            "status": {"state": "DONE"},
            "statistics": {"totalBytesProcessed": str(bytes_processed), "query": {"totalBytesProcessed": str(bytes_processed)}},
        }
        return Response(json.dumps(resource), content_type="application/json")

    def results(request: Request) -> Response:
        job_id = request.path.rsplit("/", 1)[1]
        return Response(json.dumps({
            "jobComplete": True, "totalRows": "1",
            "jobReference": {"projectId": PROJECT, "jobId": job_id, "location": "aws-us-east-1"},
            "schema": {"fields": [{"name": "n", "type": "INTEGER", "mode": "NULLABLE"}]},
            "rows": [{"f": [{"v": "42"}]}],
        }), content_type="application/json")

    def get_job(request: Request) -> Response:
        job_id = request.path.rsplit("/", 1)[1]
        return Response(json.dumps({
            "jobReference": {"projectId": PROJECT, "jobId": job_id, "location": "aws-us-east-1"},
            "configuration": {"query": {"query": ""}}, "status": {"state": "DONE"},
        }), content_type="application/json")

    httpserver.expect_request(f"{BQ}/jobs", method="POST").respond_with_handler(insert)
    httpserver.expect_request(re.compile(f"^{BQ}/queries/.+$"), method="GET").respond_with_handler(results)
    httpserver.expect_request(re.compile(f"^{BQ}/jobs/.+$"), method="GET").respond_with_handler(get_job)


def _requests(httpserver, method: str, path_prefix: str) -> list[Request]:
    return [req for req, _ in httpserver.log if req.method == method and req.path.startswith(path_prefix)]


def test_ddl_runs_as_a_query_job_in_the_omni_location(engine, httpserver):
    _jobs(httpserver)
    ddl = "CREATE SCHEMA IF NOT EXISTS `gold`\nOPTIONS (location = 'aws-us-east-1')"
    engine.create_dataset(ddl, "gold")
    (insert,) = _requests(httpserver, "POST", f"{BQ}/jobs")
    body = json.loads(insert.data)
    assert body["configuration"]["query"]["query"] == ddl
    assert body["jobReference"]["location"] == "aws-us-east-1"
    assert body["configuration"].get("dryRun") in (None, False)


def test_dry_run_sets_the_flag_and_returns_bytes(engine, httpserver):
    _jobs(httpserver, bytes_processed=1_048_576)
    assert engine.dry_run("SELECT COUNT(*) FROM `gold`.`fact_sales`") == 1_048_576
    (insert,) = _requests(httpserver, "POST", f"{BQ}/jobs")
    body = json.loads(insert.data)
    assert body["configuration"]["dryRun"] is True
    assert body["configuration"]["query"]["useQueryCache"] is False
    assert not _requests(httpserver, "GET", f"{BQ}/queries/")  # a dry run never waits for results


def test_run_reads_rows_over_rest(engine, httpserver):
    _jobs(httpserver)
    table = engine.run("SELECT 42 AS n")
    assert table.column("n").to_pylist() == [42]
    assert _requests(httpserver, "GET", f"{BQ}/queries/")


def test_dataset_location_and_missing_dataset(engine, httpserver):
    httpserver.expect_request(f"{BQ}/datasets/gold", method="GET").respond_with_json(
        {"datasetReference": {"projectId": PROJECT, "datasetId": "gold"}, "location": "aws-us-east-1"}
    )
    httpserver.expect_request(f"{BQ}/datasets/other", method="GET").respond_with_json(
        {"error": {"code": 404, "message": "Not found: Dataset fedkit-demo:other", "status": "NOT_FOUND"}}, status=404
    )
    assert engine.dataset_location("gold") == "aws-us-east-1"
    assert engine.dataset_location("other") is None


def test_observe_tables_reads_each_schema(engine, httpserver):
    ref = {"projectId": PROJECT, "datasetId": "gold", "tableId": "fact_sales"}
    httpserver.expect_request(f"{BQ}/datasets/gold/tables", method="GET").respond_with_json(
        {"tables": [{"tableReference": ref, "type": "EXTERNAL"}], "totalItems": 1}
    )
    httpserver.expect_request(f"{BQ}/datasets/gold/tables/fact_sales", method="GET").respond_with_json({
        "tableReference": ref, "type": "EXTERNAL",
        "schema": {"fields": [
            {"name": "sale_id", "type": "INTEGER", "mode": "NULLABLE"},
            {"name": "amount", "type": "NUMERIC", "mode": "NULLABLE"},
            {"name": "order_month", "type": "DATE", "mode": "NULLABLE"},
        ]},
    })
    assert engine.observe_tables("gold") == {
        "fact_sales": (("sale_id", "INTEGER"), ("amount", "NUMERIC"), ("order_month", "DATE"))
    }


def test_observe_reads_each_external_tables_source_uris_and_plans_the_old_ones_replaced(engine, httpserver):
    """tables.get's externalDataConfiguration.sourceUris / hivePartitioningOptions.sourceUriPrefix
    (https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#ExternalDataConfiguration): a table created with
    yesterday's `…/dim_region/*` (which also reads `_SUCCESS` and `.crc`) is planned as a replace; one with fedkit's
    `…/*.parquet` (and a prefix BigQuery reports with a trailing slash) is left alone; a view has neither."""
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.registration.desired import desired_bigquery
    from toolkit.registration.observed import BigQueryDefinition
    from toolkit.registration.plan import plan_bigquery_tables
    from toolkit.types import LogicalType

    root = "s3://fedkit-demo-gold/gold"
    tables = {
        "dim_region": {"sourceUris": [f"{root}/dim_region/*"], "sourceFormat": "PARQUET"},
        "fact_sales": {"sourceUris": [f"{root}/fact_sales/*.parquet"], "sourceFormat": "PARQUET",
                       "hivePartitioningOptions": {"mode": "AUTO", "sourceUriPrefix": f"{root}/fact_sales/"}},
    }
    refs = {name: {"projectId": PROJECT, "datasetId": "gold", "tableId": name} for name in [*tables, "kpi_view"]}
    httpserver.expect_request(f"{BQ}/datasets/gold/tables", method="GET").respond_with_json(
        {"tables": [{"tableReference": ref, "type": "EXTERNAL"} for ref in refs.values()], "totalItems": 3})
    schema = {"fields": [{"name": "region_id", "type": "INTEGER", "mode": "NULLABLE"}]}
    for name, config in tables.items():
        fields = schema["fields"] + ([{"name": "order_month", "type": "DATE"}] if name == "fact_sales" else [])
        httpserver.expect_request(f"{BQ}/datasets/gold/tables/{name}", method="GET").respond_with_json({
            "tableReference": refs[name], "type": "EXTERNAL", "schema": {"fields": fields},
            "externalDataConfiguration": config})
    httpserver.expect_request(f"{BQ}/datasets/gold/tables/kpi_view", method="GET").respond_with_json({
        "tableReference": refs["kpi_view"], "type": "VIEW", "schema": schema, "view": {"query": "SELECT 1"}})
    httpserver.expect_request(f"{BQ}/datasets/gold", method="GET").respond_with_json(
        {"datasetReference": {"projectId": PROJECT, "datasetId": "gold"}, "location": "aws-us-east-1"})
    httpserver.expect_request(re.compile(f"{CONN}/fedkit_gold"), method="GET").respond_with_json(
        {"name": "x", "aws": {"accessRole": {"iamRoleId": "arn:aws:iam::123456789012:role/fedkit-gold-reader",
                                             "identity": IDENTITY}}})

    int64 = LogicalType("int64")
    catalog = GoldCatalog((
        GoldTable("dim_region", f"{root}/dim_region", (Column("region_id", int64),), 1, 1, 1),
        GoldTable("fact_sales", f"{root}/fact_sales", (Column("region_id", int64), Column(
            "order_month", LogicalType("date"), nullable=False, partition=True)), 1, 1, 1),
    ))
    desired = desired_bigquery(engine.loaded, catalog)
    observed = engine.observe(desired)
    assert observed.definitions == {
        "dim_region": BigQueryDefinition((f"{root}/dim_region/*",), None),
        "fact_sales": BigQueryDefinition((f"{root}/fact_sales/*.parquet",), f"{root}/fact_sales/"),
    }
    (action,) = plan_bigquery_tables(desired, observed)
    assert action.action == "replace" and action.resource == "bigquery_table/gold.dim_region"
    assert f"uris ['{root}/dim_region/*'] → ['{root}/dim_region/*.parquet']" in action.detail


def test_create_connection_sends_the_role_and_returns_the_identity(engine, httpserver):
    role = "arn:aws:iam::123456789012:role/fedkit-gold-reader"
    httpserver.expect_request(CONN, method="POST").respond_with_json({
        "name": f"projects/{PROJECT}/locations/aws-us-east-1/connections/fedkit_gold",
        "aws": {"accessRole": {"iamRoleId": role, "identity": IDENTITY}},
    })
    created = engine.create_connection("aws-us-east-1", "fedkit_gold", role)
    assert created.identity == IDENTITY and created.iam_role_id == role
    (request,) = _requests(httpserver, "POST", CONN)
    assert request.args["connectionId"] == "fedkit_gold"
    assert json.loads(request.data) == {"aws": {"accessRole": {"iamRoleId": role}}}


def test_identity_is_read_from_the_existing_connection(engine, httpserver):
    httpserver.expect_request(f"{CONN}/fedkit_gold", method="GET").respond_with_json({
        "name": f"projects/{PROJECT}/locations/aws-us-east-1/connections/fedkit_gold",
        "aws": {"accessRole": {"iamRoleId": "arn:aws:iam::123456789012:role/fedkit-gold-reader", "identity": IDENTITY}},
    })
    assert engine.bigquery_identity() == IDENTITY


def test_missing_connection_means_no_identity_yet(engine, httpserver):
    httpserver.expect_request(f"{CONN}/fedkit_gold", method="GET").respond_with_json(
        {"error": {"code": 404, "message": "Not found: Connection", "status": "NOT_FOUND"}}, status=404
    )
    assert engine.bigquery_identity() is None


def test_api_errors_become_one_line_cloud_errors(engine, httpserver):
    httpserver.expect_request(f"{BQ}/jobs", method="POST").respond_with_json(
        {"error": {"code": 403, "message": "Access Denied: Project fedkit-demo", "status": "PERMISSION_DENIED"}},
        status=403,
    )
    with pytest.raises(CloudError, match="Access Denied: Project fedkit-demo"):
        engine.execute("CREATE SCHEMA `gold`")
