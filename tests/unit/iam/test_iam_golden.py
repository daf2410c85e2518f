"""Golden files: the repository's iam/ is exactly what the example config generates, and parliament finds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.config import Config, load_config
from toolkit.iam import generate
from toolkit.iam.lint import lint_document
from toolkit.planning.identities import Identities, SnowflakeTrust

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def example():
    return load_config(REPO / "config" / "federation.yaml")


def test_committed_iam_folder_matches_the_example_config(example):
    expected = generate.rendered(example.config)
    assert sorted(expected) == ["athena-query-policy.json", "glue-apply-policy.json", "gold-read-policy.json", "role.json",
                                "spectrum-read-policy.json", "spectrum-role.json", "spectrum-trust-policy.json",
                                "trust-policy.json"]
    for name, text in expected.items():
        assert (REPO / "iam" / name).read_text(encoding="utf-8") == text, f"iam/{name} is stale: run fedkit iam generate"
    assert generate.check_generated(example, REPO / "iam") == []


def test_committed_documents_are_valid_json_with_placeholders_marked(example):
    trust = json.loads((REPO / "iam" / "trust-policy.json").read_text())
    text = json.dumps(trust)
    assert "<BIGQUERY_CONNECTION_IDENTITY: run fedkit apply>" in text
    assert "<SNOWFLAKE_EXTERNAL_ID: run fedkit apply>" in text
    role = json.loads((REPO / "iam" / "role.json").read_text())
    assert role["MaxSessionDuration"] == 43200 and role["RoleName"] == "fedkit-gold-reader"


def _variants(example) -> dict[str, tuple[Config, Identities]]:
    data = example.config.model_dump(by_alias=True, exclude_none=True)
    data["aws"]["kms_key_arn"] = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    data["aws"]["notifications"] = {"sns_topic": "gold-uploads", "email": "data@example.com",
                                    "snowflake_auto_refresh": True}
    rich = Config.model_validate(data)
    known = Identities(bigquery="123456789012345678901",
                       snowflake=SnowflakeTrust("arn:aws:iam::999988887777:user/sf-abc", "XY_SFCRole=2_abc="))
    return {"example": (example.config, Identities()), "kms+sns": (rich, Identities()), "known": (rich, known)}


@pytest.mark.parametrize("variant", ["example", "kms+sns", "known"])
def test_generated_policies_have_zero_lint_findings(example, variant):
    config, identities = _variants(example)[variant]
    docs = generate.documents_for(config, identities)
    linted = [n for n in docs if n in generate.POLICY_FILES]
    # the example has glue:, athena: and redshift: (glue-apply, athena-query, spectrum trust and read); +sns topic
    assert len(linted) == (6 if variant == "example" else 7)
    for name in linted:
        assert lint_document(docs[name], name) == [], name
