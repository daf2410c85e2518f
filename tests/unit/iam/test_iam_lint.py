"""The lint: parliament's findings plus fedkit's own least-privilege rules."""

from __future__ import annotations

import json
import re

import pytest

from toolkit.errors import UsageError
from toolkit.iam.lint import is_trust_policy, lint_document, lint_files


def _doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def rules(findings):
    return sorted((f.source, f.rule) for f in findings)


def test_star_resource_and_wildcard_action_are_flagged():
    found = lint_document(_doc({"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}), "x.json")
    assert ("fedkit", "FEDKIT_RESOURCE_STAR") in rules(found)
    assert ("fedkit", "FEDKIT_ACTION_WILDCARD") in rules(found)
    assert all(f.file == "x.json" for f in found)


def test_star_arn_is_a_star_resource_too():
    found = lint_document(_doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"}), "x")
    assert ("fedkit", "FEDKIT_RESOURCE_STAR") in rules(found)


def test_unknown_action_is_reported_once_from_parliament_action_list():
    found = lint_document(_doc({"Sid": "A", "Effect": "Allow", "Action": "s3:GetObjectz",
                                "Resource": "arn:aws:s3:::b/p/*"}), "x")
    unknown = [f for f in found if "UNKNOWN_ACTION" in f.rule]
    assert len(unknown) == 1 and "s3:GetObjectz" in unknown[0].detail


def test_trust_statement_without_condition_and_wildcard_principal():
    doc = _doc({"Sid": "Open", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})
    assert is_trust_policy(doc)
    found = lint_document(doc, "trust.json")
    assert ("fedkit", "FEDKIT_TRUST_UNCONDITIONED") in rules(found)
    assert ("fedkit", "FEDKIT_WILDCARD_PRINCIPAL") in rules(found)
    assert {f.sid for f in found if f.source == "fedkit"} == {"Open"}


def test_trust_statements_are_checked_by_parliament_too():
    doc = _doc({"Sid": "Bad", "Effect": "Allow", "Principal": {"Federated": "evil.example.com"},
                "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"evil.example.com:sub": "1"}}})
    found = lint_document(doc, "trust.json")
    assert ("parliament", "UNKNOWN_FEDERATION_SOURCE") in rules(found)
    assert next(f for f in found if f.rule == "UNKNOWN_FEDERATION_SOURCE").sid == "Bad"


def test_a_clean_trust_policy_has_no_findings():
    doc = _doc({"Sid": "FedkitSnowflake", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:user/x"},
                "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "AB_SFCRole=1_x="}}})
    assert lint_document(doc, "t") == []


def test_role_document_is_not_linted_as_a_policy():
    assert lint_document({"RoleName": "r", "MaxSessionDuration": 3600}, "role.json") == []


def test_invalid_json_and_missing_files_are_usage_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"Version": "2012-10-17",\n "Statement": [}\n')
    with pytest.raises(UsageError, match=r"bad.json:2: invalid JSON") as err:
        lint_files([bad])
    assert err.value.exit_code == 2
    with pytest.raises(UsageError, match="file not found"):
        lint_files([tmp_path / "missing.json"])


def test_lint_files_reads_then_lints(tmp_path):
    good = tmp_path / "p.json"
    good.write_text(json.dumps(_doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/p/*"})))
    assert lint_files([good]) == []


def test_parliament_list_details_are_summarised_on_one_short_line():
    # parliament's RESOURCE_STAR detail is every expanded action (hundreds for s3:*): a table row must stay readable.
    found = lint_document(_doc({"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}), "x.json")
    (star,) = [f for f in found if f.source == "parliament" and f.rule == "RESOURCE_STAR"]
    assert len(star.detail) < 200 and "\n" not in star.detail
    assert star.detail.startswith("Resource '*' for ") and "s3:AbortMultipartUpload" in star.detail
    assert re.search(r"\(\+\d+ more\)$", star.detail)


def test_a_shape_parliament_cannot_parse_is_a_finding_not_a_crash():
    found = lint_document({"Version": "2012-10-17", "Statement": "x"}, "odd.json")
    assert [(f.source, f.rule) for f in found] == [("parliament", "MALFORMED"), ("fedkit", "FEDKIT_NOT_A_POLICY")]
    assert found[0].severity == "CRITICAL" and found[0].detail.startswith("not a policy parliament can read: ") and "\n" not in found[0].detail
