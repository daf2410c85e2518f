"""The Redshift Spectrum external schema: the exact DDL text, the exact Data API calls (botocore Stubber: there is no
Redshift here), drift left alone, and on the sandbox a step that says it was skipped and never claims it ran."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from toolkit.config import load_config
from toolkit.errors import CloudError
from toolkit.registration.spectrum_schema import (
    SANDBOX_SKIPPED, ObservedSchema, SpectrumSchemaTarget, plan_schema, schema_ddl)

CONFIG = """\
version: 1
gold: {bucket: fedkit-demo-gold}
aws: {account_id: "123456789012", region: us-east-1, role_name: fedkit-gold-reader}
glue: {database: gold_lake}
redshift: {workgroup: fedkit-wg, database: dev, external_schema: gold_spectrum}
"""
ROLE = "arn:aws:iam::123456789012:role/fedkit-gold-reader-spectrum"
DDL = ("CREATE EXTERNAL SCHEMA IF NOT EXISTS \"gold_spectrum\"\nFROM DATA CATALOG\nDATABASE 'gold_lake'\n"
       f"IAM_ROLE '{ROLE}'")
OBSERVE = "SELECT databasename, esoptions FROM svv_external_schemas WHERE schemaname = 'gold_spectrum'"


def _config(tmp_path, text=CONFIG):
    path = tmp_path / "federation.yaml"
    path.write_text(text)
    return load_config(path).config


def test_ddl_text_is_exact_and_names_the_spectrum_role(tmp_path):
    assert schema_ddl(_config(tmp_path)) == DDL
    other_catalog = CONFIG.replace("glue: {database: gold_lake}",
                                   "glue: {database: gold_lake, catalog_id: '210987654321'}")
    assert schema_ddl(_config(tmp_path, other_catalog)) == DDL + "\nCATALOG_ID '210987654321'"


def _ctx(config, client):
    return SimpleNamespace(config=config, client=lambda service: client, sleep=lambda s: None)


def _stubbed():
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("redshift-data", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    return client, Stubber(client)


@pytest.fixture
def cloud(monkeypatch):
    monkeypatch.setenv("FEDKIT_MODE", "cloud")


def test_missing_schema_is_created_through_the_data_api_with_polling(tmp_path, cloud):
    config = _config(tmp_path)
    client, stub = _stubbed()
    target = {"WorkgroupName": "fedkit-wg", "Database": "dev"}
    stub.add_response("execute_statement", {"Id": "s1"}, expected_params={"Sql": OBSERVE, **target})
    stub.add_response("describe_statement", {"Id": "s1", "Status": "FINISHED"}, expected_params={"Id": "s1"})
    stub.add_response("get_statement_result", {"Records": [], "TotalNumRows": 0}, expected_params={"Id": "s1"})
    stub.add_response("execute_statement", {"Id": "s2"}, expected_params={"Sql": DDL, **target})
    stub.add_response("describe_statement", {"Id": "s2", "Status": "STARTED"}, expected_params={"Id": "s2"})
    stub.add_response("describe_statement", {"Id": "s2", "Status": "FINISHED"}, expected_params={"Id": "s2"})
    with stub:
        ctx = _ctx(config, client)
        observed = SpectrumSchemaTarget().observe(ctx)
        assert observed == ObservedSchema(exists=False)
        (action,) = SpectrumSchemaTarget().plan(ctx, observed)
        assert (action.action, action.resource) == ("create", "redshift_external_schema/gold_spectrum")
        assert action.diff == DDL
        SpectrumSchemaTarget().apply(ctx, action)
    stub.assert_no_pending_responses()


def test_existing_schema_over_the_same_database_and_role_plans_nothing(tmp_path, cloud):
    config = _config(tmp_path)
    client, stub = _stubbed()
    stub.add_response("execute_statement", {"Id": "s1"})
    stub.add_response("describe_statement", {"Id": "s1", "Status": "FINISHED"})
    stub.add_response("get_statement_result", {"TotalNumRows": 1, "Records": [
        [{"stringValue": "gold_lake"}, {"stringValue": '{"IAM_ROLE":"%s"}' % ROLE}]]})
    with stub:
        observed = SpectrumSchemaTarget().observe(_ctx(config, client))
    assert observed == ObservedSchema(exists=True, database="gold_lake", role_arn=ROLE)
    assert plan_schema(config, observed) == []


def test_schema_over_another_database_is_drift_left_alone(tmp_path):
    (drift,) = plan_schema(_config(tmp_path), ObservedSchema(exists=True, database="old_lake", role_arn=ROLE))
    assert drift.action == "drift" and "'old_lake'" in drift.detail and "DROP SCHEMA gold_spectrum" in drift.detail


def test_a_failed_statement_is_one_cloud_error_line(tmp_path, cloud):
    config = _config(tmp_path)
    client, stub = _stubbed()
    stub.add_response("execute_statement", {"Id": "s2"})
    stub.add_response("describe_statement", {"Id": "s2", "Status": "FAILED",
                                             "Error": "ERROR: permission denied for database dev\nDETAIL: x"})
    (action,) = plan_schema(config, ObservedSchema(exists=False))
    with stub, pytest.raises(CloudError) as caught:
        SpectrumSchemaTarget().apply(_ctx(config, client), action)
    assert "permission denied for database dev" in caught.value.message and "\n" not in caught.value.message


def test_on_the_sandbox_the_step_is_skipped_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    config = _config(tmp_path)
    ctx = _ctx(config, client=None)  # no Data API call at all
    target = SpectrumSchemaTarget()
    observed = target.observe(ctx)
    assert target.plan(ctx, observed) == []
    (warning,) = target.warnings(ctx, observed)
    assert SANDBOX_SKIPPED in warning and "CREATE EXTERNAL SCHEMA IF NOT EXISTS" in warning
    assert "created" not in warning.replace("neither read nor created", "")


def test_no_redshift_section_no_step(tmp_path):
    config = _config(tmp_path, CONFIG.replace("redshift: {workgroup: fedkit-wg, database: dev, external_schema: "
                                              "gold_spectrum}\n", ""))
    assert SpectrumSchemaTarget().enabled(SimpleNamespace(config=config)) is False
