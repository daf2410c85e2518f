"""Athena's caller policy and the Redshift Spectrum role: reviewed golden files, zero lint findings, least privilege,
and nothing at all for a project without athena:/redshift: (its files are exactly today's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.config import load_config
from toolkit.iam import generate, policies
from toolkit.iam import aws_engine_policies as aep
from toolkit.iam.lint import lint_document

GOLDEN = Path(__file__).parent / "golden_aws_engines"

BASE = """\
version: 1
gold:
  bucket: fedkit-demo-gold
  prefix: gold/
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-gold-reader
bigquery:
  project: fedkit-demo
  location: aws-us-east-1
snowflake:
  database: ANALYTICS
  schema: GOLD
glue:
  database: gold_lake
"""
ENGINES = """\
athena:
  workgroup: fedkit_kpis
  output_location: s3://fedkit-athena-results/kpi/
redshift:
  workgroup: fedkit-wg
  external_schema: gold_spectrum
"""


def _docs(tmp_path, text: str):
    path = tmp_path / "federation.yaml"
    path.write_text(text)
    return generate.documents_for(load_config(path).config)


def test_new_documents_match_the_reviewed_golden_files(tmp_path):
    docs = _docs(tmp_path, BASE + ENGINES)
    new = {n: d for n, d in docs.items() if n in (generate.ATHENA_FILE, generate.SPECTRUM_ROLE_FILE,
                                                  generate.SPECTRUM_TRUST_FILE, generate.SPECTRUM_READ_FILE)}
    assert sorted(new) == sorted(p.name for p in GOLDEN.glob("*.json"))
    for name, doc in new.items():
        assert (GOLDEN / name).read_text(encoding="utf-8") == policies.render(doc), name


def test_without_the_sections_the_files_are_exactly_todays(tmp_path):
    with_engines = generate.rendered(load_config(_write(tmp_path, BASE + ENGINES)).config)
    without = generate.rendered(load_config(_write(tmp_path, BASE)).config)
    assert sorted(without) == ["glue-apply-policy.json", "gold-read-policy.json", "role.json", "trust-policy.json"]
    assert {n: t for n, t in with_engines.items() if n in without} == without


def _write(tmp_path, text):
    path = tmp_path / "federation.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("extra", ["", "  kms_key_arn: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-"
                                       "1234567890ab\n"])
def test_every_new_policy_has_zero_parliament_findings_and_no_star_resource(tmp_path, extra):
    text = BASE.replace("  role_name: fedkit-gold-reader\n", "  role_name: fedkit-gold-reader\n" + extra)
    docs = _docs(tmp_path, text + ENGINES)
    for name in (generate.ATHENA_FILE, generate.SPECTRUM_TRUST_FILE, generate.SPECTRUM_READ_FILE):
        assert name in generate.POLICY_FILES
        assert lint_document(docs[name], name) == [], name
        for statement in docs[name]["Statement"]:
            resources = statement.get("Resource", [])
            for resource in resources if isinstance(resources, list) else [resources]:
                assert resource != "*" and not resource.endswith(":*"), (name, resource)


def test_athena_grows_only_by_workgroup_glue_read_and_the_results_prefix(tmp_path):
    docs = _docs(tmp_path, BASE + ENGINES)
    athena = {s["Sid"]: s for s in docs[generate.ATHENA_FILE]["Statement"]}
    read = {s["Sid"] for s in docs[generate.READ_FILE]["Statement"]}
    assert set(athena) - read == {aep.SID_ATHENA_WORKGROUP, aep.SID_ATHENA_GLUE, aep.SID_ATHENA_RESULTS_WRITE,
                                  aep.SID_ATHENA_RESULTS_BUCKET, aep.SID_ATHENA_RESULTS_LOCATION}
    assert athena[aep.SID_ATHENA_WORKGROUP]["Resource"] == "arn:aws:athena:us-east-1:123456789012:workgroup/fedkit_kpis"
    glue = athena[aep.SID_ATHENA_GLUE]
    assert all(a.startswith("glue:Get") or a == "glue:BatchGetPartition" for a in glue["Action"])
    assert glue["Resource"][1:] == ["arn:aws:glue:us-east-1:123456789012:database/gold_lake",
                                    "arn:aws:glue:us-east-1:123456789012:table/gold_lake/*"]
    assert athena[aep.SID_ATHENA_RESULTS_WRITE]["Resource"] == "arn:aws:s3:::fedkit-athena-results/kpi/*"
    assert athena[aep.SID_ATHENA_RESULTS_BUCKET]["Condition"] == {"StringLike": {"s3:prefix": ["kpi/*"]}}
    # writes only under the results prefix: never on the gold bucket
    writes = [s for s in athena.values() if "s3:PutObject" in s["Action"]]
    assert [s["Sid"] for s in writes] == [aep.SID_ATHENA_RESULTS_WRITE]


def test_athena_without_a_results_location_gets_no_write(tmp_path):
    docs = _docs(tmp_path, BASE + "athena:\n  workgroup: primary\n")
    assert "s3:PutObject" not in json.dumps(docs[generate.ATHENA_FILE])
    assert generate.SPECTRUM_ROLE_FILE not in docs


def test_spectrum_role_is_its_own_with_a_conditioned_service_trust(tmp_path):
    docs = _docs(tmp_path, BASE + "redshift:\n  cluster_identifier: analytics\n")
    assert generate.ATHENA_FILE not in docs
    role = docs[generate.SPECTRUM_ROLE_FILE]
    assert role["RoleName"] == "fedkit-gold-reader-spectrum" != docs[generate.ROLE_FILE]["RoleName"]
    (trust,) = docs[generate.SPECTRUM_TRUST_FILE]["Statement"]
    assert trust["Principal"] == {"Service": "redshift.amazonaws.com"}
    # Redshift presents the database user's ARN as the ExternalId: only this account's, region's and cluster's users
    assert trust["Condition"] == {"StringLike": {"sts:ExternalId": [
        "arn:aws:redshift:us-east-1:123456789012:dbuser:analytics/*"]}}
    # the BigQuery/Snowflake role's trust does not admit Redshift
    assert "redshift" not in json.dumps(docs[generate.TRUST_FILE])
    read = docs[generate.SPECTRUM_READ_FILE]["Statement"]
    assert not any(a.startswith(("s3:Put", "s3:Delete", "glue:Create", "glue:Update", "glue:Delete"))
                   for s in read for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]]))


def test_serverless_trust_is_bounded_by_account_and_region(tmp_path):
    docs = _docs(tmp_path, BASE + ENGINES)
    (trust,) = docs[generate.SPECTRUM_TRUST_FILE]["Statement"]
    assert trust["Condition"] == {"StringLike": {"sts:ExternalId": [
        "arn:aws:redshift:us-east-1:123456789012:dbuser:*"]}}


def test_new_sids_are_managed_so_merges_replace_them():
    assert aep.SIDS <= policies.MANAGED_SIDS


def test_iam_generate_check_knows_the_new_files(tmp_path):
    path = _write(tmp_path, BASE + ENGINES)
    loaded = load_config(path)
    generate.write_generated(loaded, tmp_path / "iam")
    assert generate.check_generated(loaded, tmp_path / "iam") == []
    (tmp_path / "iam" / generate.SPECTRUM_TRUST_FILE).write_text("{}\n")
    assert generate.check_generated(loaded, tmp_path / "iam") == [generate.SPECTRUM_TRUST_FILE]
    # a project that drops redshift: no longer generates the Spectrum files: --check says so, generate removes them
    path.write_text(BASE + "athena:\n  workgroup: fedkit_kpis\n  output_location: s3://fedkit-athena-results/kpi/\n")
    loaded = load_config(path)
    assert set(generate.check_generated(loaded, tmp_path / "iam")) == {
        generate.SPECTRUM_ROLE_FILE, generate.SPECTRUM_TRUST_FILE, generate.SPECTRUM_READ_FILE}
    removed = generate.write_generated(loaded, tmp_path / "iam")
    assert set(removed) >= {generate.SPECTRUM_ROLE_FILE, generate.SPECTRUM_READ_FILE}
    assert not (tmp_path / "iam" / generate.SPECTRUM_ROLE_FILE).exists()
