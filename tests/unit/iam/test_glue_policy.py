"""The Glue permissions `fedkit apply` needs, as a generated, linted document (only for a config with glue:)."""

from __future__ import annotations

from toolkit.config import load_config
from toolkit.iam.generate import GLUE_FILE, documents_for
from toolkit.iam.lint import lint_document

CONFIG = """\
version: 1
gold:
  bucket: fedkit-demo-gold
aws:
  account_id: "123456789012"
  region: eu-west-1
snowflake:
  database: ANALYTICS
  schema: GOLD
"""


def _docs(tmp_path, extra: str = ""):
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG + extra)
    return documents_for(load_config(path).config)


def test_no_glue_section_no_glue_document(tmp_path):
    assert GLUE_FILE not in _docs(tmp_path)


def test_glue_apply_policy_names_exactly_the_catalog_database_and_its_tables(tmp_path):
    doc = _docs(tmp_path, "glue:\n  database: gold_lake\n")[GLUE_FILE]
    (statement,) = doc["Statement"]
    assert statement["Resource"] == [
        "arn:aws:glue:eu-west-1:123456789012:catalog",
        "arn:aws:glue:eu-west-1:123456789012:database/gold_lake",
        "arn:aws:glue:eu-west-1:123456789012:table/gold_lake/*",
    ]
    assert set(statement["Action"]) == {
        "glue:GetDatabase", "glue:CreateDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
        "glue:UpdateTable", "glue:DeleteTable", "glue:GetPartitions", "glue:BatchCreatePartition",
        "glue:BatchUpdatePartition",
    }
    assert not any("*" in action for action in statement["Action"])
    assert lint_document(doc, GLUE_FILE) == []


def test_catalog_id_names_the_catalogs_account(tmp_path):
    doc = _docs(tmp_path, "glue:\n  database: gold_lake\n  catalog_id: '210987654321'\n")[GLUE_FILE]
    assert all(":210987654321:" in arn for arn in doc["Statement"][0]["Resource"])
