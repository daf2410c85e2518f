"""KPI views through the real google-cloud-bigquery client against a local HTTP server: `observe_views` reads only
views (query + description), `create_view` / `drop_view` send the DDL as a query job in the Omni location."""

from __future__ import annotations

import json
import re

import pytest
from werkzeug import Request, Response

from toolkit.config import load_config

PROJECT = "fedkit-demo"
BQ = f"/bigquery/v2/projects/{PROJECT}"
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
    engine = BigQueryCloudEngine(load_config(path), credentials=AnonymousCredentials(),
                                 client_options={"api_endpoint": endpoint})
    yield engine
    engine.close()


def _ref(table: str) -> dict:
    return {"projectId": PROJECT, "datasetId": "gold", "tableId": table}


def test_observe_views_reads_query_and_description_of_views_only(engine, httpserver):
    httpserver.expect_request(f"{BQ}/datasets/gold/tables", method="GET").respond_with_json({
        "tables": [{"tableReference": _ref("fact_sales"), "type": "EXTERNAL"},
                   {"tableReference": _ref("kpi_revenue"), "type": "VIEW"}],
        "totalItems": 2,
    })
    httpserver.expect_request(f"{BQ}/datasets/gold/tables/kpi_revenue", method="GET").respond_with_json({
        "tableReference": _ref("kpi_revenue"), "type": "VIEW",
        "description": "Revenue. | managed by fedkit (kpi revenue)",
        "view": {"query": "SELECT 1 AS x", "useLegacySql": False},
    })
    views = engine.observe_views((PROJECT, "gold"))
    assert list(views) == ["kpi_revenue"]
    assert views["kpi_revenue"].query == "SELECT 1 AS x"
    assert views["kpi_revenue"].comment.endswith("managed by fedkit (kpi revenue)")
    fetched = [req.path for req, _ in httpserver.log if req.path.startswith(f"{BQ}/datasets/gold/tables/")]
    assert fetched == [f"{BQ}/datasets/gold/tables/kpi_revenue"]  # the external table's schema is not read


def test_observe_views_of_a_missing_dataset_is_empty(engine, httpserver):
    httpserver.expect_request(f"{BQ}/datasets/gold/tables", method="GET").respond_with_json(
        {"error": {"code": 404, "message": "Not found: Dataset fedkit-demo:gold", "status": "NOT_FOUND"}}, status=404
    )
    assert engine.observe_views((PROJECT, "gold")) == {}


def test_create_and_drop_view_run_the_ddl_as_query_jobs(engine, httpserver):
    from toolkit.registration.view_plan import DesiredView, drop_view_ddl, view_ddl

    def insert(request: Request) -> Response:
        body = json.loads(request.data)
        reference = {"projectId": PROJECT, "jobId": body["jobReference"]["jobId"], "location": "aws-us-east-1"}
        return Response(json.dumps({"jobReference": reference, "configuration": body["configuration"],
                                    "status": {"state": "DONE"}}), content_type="application/json")

    def results(request: Request) -> Response:
        reference = {"projectId": PROJECT, "jobId": request.path.rsplit("/", 1)[1], "location": "aws-us-east-1"}
        return Response(json.dumps({"jobComplete": True, "totalRows": "0", "jobReference": reference,
                                    "schema": {"fields": []}}), content_type="application/json")

    httpserver.expect_request(f"{BQ}/jobs", method="POST").respond_with_handler(insert)
    httpserver.expect_request(re.compile(f"^{BQ}/queries/.+$"), method="GET").respond_with_handler(results)
    container = (PROJECT, "gold")
    comment = "Revenue. | managed by fedkit (kpi revenue)"
    ddl = view_ddl("bigquery", container, "kpi_revenue", "SELECT 1 AS x", comment)
    engine.create_view(DesiredView("bigquery", "revenue", container, "kpi_revenue", "SELECT 1 AS x", comment, ddl))
    engine.drop_view(container, "kpi_revenue", drop_view_ddl("bigquery", container, "kpi_revenue"))
    bodies = [json.loads(req.data) for req, _ in httpserver.log if req.method == "POST"]
    assert [b["configuration"]["query"]["query"] for b in bodies] == [
        ddl, "DROP VIEW IF EXISTS `fedkit-demo`.`gold`.`kpi_revenue`"
    ]
    assert all(b["jobReference"]["location"] == "aws-us-east-1" for b in bodies)
