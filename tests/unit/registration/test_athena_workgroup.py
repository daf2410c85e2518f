"""The Athena workgroup step against botocore's Stubber: exactly the calls Athena's API reference documents
(moto has no UpdateWorkGroup, and real Athena answers a missing workgroup with an error, not null)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from toolkit.config import load_config
from toolkit.planning.actions import Action
from toolkit.registration.athena_workgroup import (
    ENGINE_V3, AthenaWorkgroupTarget, ObservedWorkgroup, observe_workgroup, plan_workgroup)

CONFIG = """\
version: 1
gold: {bucket: fedkit-demo-gold}
aws: {account_id: "123456789012", region: us-east-1}
glue: {database: gold_lake}
athena: {workgroup: fedkit_kpis, output_location: "s3://results-bucket/kpi/"}
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG)
    return load_config(path).config


def _stubbed():
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("athena", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    return client, Stubber(client)


def test_missing_workgroup_on_real_athena_is_an_error_code_read_as_absent():
    client, stub = _stubbed()
    stub.add_client_error("get_work_group", "InvalidRequestException", "WorkGroup fedkit_kpis is not found.",
                          expected_params={"WorkGroup": "fedkit_kpis"})
    with stub:
        assert observe_workgroup(client, "fedkit_kpis") == ObservedWorkgroup(exists=False)


def test_create_sends_the_results_location_engine_v3_and_the_tag(config):
    (action,) = plan_workgroup(config, ObservedWorkgroup(exists=False))
    client, stub = _stubbed()
    stub.add_response("create_work_group", {}, expected_params={
        "Name": "fedkit_kpis",
        "Configuration": {"ResultConfiguration": {"OutputLocation": "s3://results-bucket/kpi/"},
                          "EnforceWorkGroupConfiguration": True,
                          "EngineVersion": {"SelectedEngineVersion": ENGINE_V3}},
        "Description": "KPI queries of fedkit (managed by fedkit)",
        "Tags": [{"Key": "managed-by", "Value": "fedkit"}]})
    with stub:
        AthenaWorkgroupTarget().apply(SimpleNamespace(client=lambda s: client), action)
    stub.assert_no_pending_responses()


def test_replace_updates_the_location_in_place_never_deletes(config):
    observed = ObservedWorkgroup(exists=True, output_location="s3://results-bucket/old/", engine_version=ENGINE_V3)
    assert [a.action for a in plan_workgroup(config, observed)] == ["drift"]
    (action,) = plan_workgroup(config, observed, replace=True)
    assert isinstance(action, Action) and action.action == "update"
    client, stub = _stubbed()
    stub.add_response("update_work_group", {}, expected_params={
        "WorkGroup": "fedkit_kpis",
        "ConfigurationUpdates": {"ResultConfigurationUpdates": {"OutputLocation": "s3://results-bucket/kpi/"}}})
    with stub:
        AthenaWorkgroupTarget().apply(SimpleNamespace(client=lambda s: client), action)
    stub.assert_no_pending_responses()


def test_same_location_plans_nothing_and_an_old_engine_is_warned(config):
    observed = ObservedWorkgroup(exists=True, output_location="s3://results-bucket/kpi/",
                                 engine_version="Athena engine version 2")
    assert plan_workgroup(config, observed, replace=True) == []
    (warning,) = AthenaWorkgroupTarget().warnings(SimpleNamespace(config=config), observed)
    assert "Athena engine version 2" in warning and ENGINE_V3 in warning


def test_no_results_location_no_workgroup_step(tmp_path):
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG.replace(', output_location: "s3://results-bucket/kpi/"', ""))
    ctx = SimpleNamespace(config=load_config(path).config)
    assert AthenaWorkgroupTarget().enabled(ctx) is False
