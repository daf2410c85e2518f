"""The Redshift Spectrum role and the Athena workgroup, planned and applied against moto (IAM, Athena): created
from nothing, a second apply plans nothing, drift on the results location shown and fixed only with --replace."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.aws import aws_client
from toolkit.config import load_config
from toolkit.iam import aws_engine_policies as aep
from toolkit.iam.generate import SPECTRUM_READ_FILE, SPECTRUM_TRUST_FILE, documents_for
from toolkit.planning import pipeline
from toolkit.planning.pipeline import Context, apply_all, plan_all

from .conftest import BUCKET, config_data

TARGETS = ["toolkit.iam.role_target:RoleTarget", "toolkit.iam.spectrum_target:SpectrumRoleTarget",
           "toolkit.registration.athena_workgroup:AthenaWorkgroupTarget"]
SPECTRUM_ROLE = "fedkit-it-reader-spectrum"
RESULTS = "s3://fedkit-it-athena-results/kpi/"


@pytest.fixture
def make_ctx(aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setattr(pipeline, "TARGETS", list(TARGETS))
    aws_client("s3").create_bucket(Bucket=BUCKET)

    def make(replace: bool = False, **sections) -> Context:
        data = {**config_data(), "glue": {"database": "gold_lake"},
                "athena": {"workgroup": "fedkit_kpis", "output_location": RESULTS},
                "redshift": {"workgroup": "fedkit-wg"}, **sections}
        data = {k: v for k, v in data.items() if v is not None}
        path = tmp_path / "federation.yaml"
        path.write_text(yaml.safe_dump(data))
        return Context(loaded=load_config(path), sleep=lambda s: None, propagation_attempts=3,
                       propagation_delay=0, replace=replace)

    return make


def test_apply_creates_the_spectrum_role_and_the_workgroup_then_plans_nothing(make_ctx):
    ctx = make_ctx()
    report = apply_all(ctx)
    done = [a.resource for a in report.done]
    assert f"iam_role/{SPECTRUM_ROLE}" in done
    assert f"iam_role_policy/{SPECTRUM_ROLE}/{aep.SPECTRUM_INLINE_POLICY}" in done
    assert "athena_workgroup/fedkit_kpis" in done
    iam = aws_client("iam")
    role = iam.get_role(RoleName=SPECTRUM_ROLE)["Role"]
    docs = documents_for(ctx.config)
    assert role["AssumeRolePolicyDocument"] == docs[SPECTRUM_TRUST_FILE]  # exactly the generated, linted file
    inline = iam.get_role_policy(RoleName=SPECTRUM_ROLE, PolicyName=aep.SPECTRUM_INLINE_POLICY)["PolicyDocument"]
    assert inline == docs[SPECTRUM_READ_FILE]
    # its own role: the BigQuery/Snowflake role's trust does not admit Redshift
    assert "redshift" not in str(iam.get_role(RoleName="fedkit-it-reader")["Role"]["AssumeRolePolicyDocument"])
    group = aws_client("athena").get_work_group(WorkGroup="fedkit_kpis")["WorkGroup"]
    assert group["Configuration"]["ResultConfiguration"]["OutputLocation"] == RESULTS
    second = plan_all(make_ctx())
    assert second.empty, [a.resource for a in second.actions]
    assert apply_all(make_ctx()).done == []


def test_spectrum_policy_edited_by_hand_is_put_back_keeping_foreign_statements(make_ctx):
    apply_all(make_ctx())
    iam = aws_client("iam")
    import json

    doc = iam.get_role_policy(RoleName=SPECTRUM_ROLE, PolicyName=aep.SPECTRUM_INLINE_POLICY)["PolicyDocument"]
    doc["Statement"][0]["Resource"] = "*"
    foreign = {"Sid": "TeamExtra", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/x"}
    doc["Statement"].append(foreign)
    iam.put_role_policy(RoleName=SPECTRUM_ROLE, PolicyName=aep.SPECTRUM_INLINE_POLICY, PolicyDocument=json.dumps(doc))
    plan = plan_all(make_ctx())
    assert [(a.action, a.resource) for a in plan.actions] == [
        ("update", f"iam_role_policy/{SPECTRUM_ROLE}/{aep.SPECTRUM_INLINE_POLICY}")]
    apply_all(make_ctx())
    after = iam.get_role_policy(RoleName=SPECTRUM_ROLE, PolicyName=aep.SPECTRUM_INLINE_POLICY)["PolicyDocument"]
    assert foreign in after["Statement"] and "*" not in [s.get("Resource") for s in after["Statement"]]
    assert plan_all(make_ctx()).empty


def test_results_location_drift_is_shown_and_left_alone_without_replace(make_ctx):
    apply_all(make_ctx())
    moved = {"workgroup": "fedkit_kpis", "output_location": "s3://fedkit-it-athena-results/other/"}
    plan = plan_all(make_ctx(athena=moved))
    (drift,) = plan.actions
    assert (drift.action, drift.resource) == ("drift", "athena_workgroup/fedkit_kpis")
    assert RESULTS in drift.detail and "--replace" in drift.detail
    assert plan.to_json()["actions"] == []  # drift is a report, not a change
    apply_all(make_ctx(athena=moved))
    group = aws_client("athena").get_work_group(WorkGroup="fedkit_kpis")["WorkGroup"]
    assert group["Configuration"]["ResultConfiguration"]["OutputLocation"] == RESULTS  # untouched
    (update,) = plan_all(make_ctx(replace=True, athena=moved)).actions
    assert update.action == "update" and update.payload["op"] == "update_work_group"


def test_without_the_sections_no_spectrum_role_and_no_workgroup(make_ctx):
    report = apply_all(make_ctx(athena=None, redshift=None))
    assert [a.resource for a in report.done] == [
        "iam_role/fedkit-it-reader", "iam_role_policy/fedkit-it-reader/fedkit-gold-read"]
    names = [r["RoleName"] for r in aws_client("iam").list_roles()["Roles"]]
    assert SPECTRUM_ROLE not in names
    assert "fedkit_kpis" not in [g["Name"] for g in aws_client("athena").list_work_groups()["WorkGroups"]]
