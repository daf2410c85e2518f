"""The optional `glue:` section: validated at load time with a one-line error naming file, line and field."""

from __future__ import annotations

import pytest

from toolkit.config import load_config
from toolkit.errors import ConfigError

BASE = """\
version: 1
gold:
  bucket: fedkit-demo-gold
aws:
  account_id: "123456789012"
  region: us-east-1
"""


def _load(tmp_path, glue: str):
    path = tmp_path / "federation.yaml"
    path.write_text(BASE + glue)
    return load_config(path)


def test_glue_section_is_optional(tmp_path):
    assert _load(tmp_path, "").config.glue is None


def test_glue_database_and_catalog_id(tmp_path):
    glue = _load(tmp_path, "glue:\n  database: gold_lake\n  catalog_id: 210987654321\n").config.glue
    assert (glue.database, glue.catalog_id) == ("gold_lake", "210987654321")


@pytest.mark.parametrize(
    ("yaml", "field"),
    [
        ("glue:\n  database: Gold\n", "glue.database"),  # Glue stores lower case: never found again
        ("glue:\n  database: gold-lake\n", "glue.database"),
        ("glue:\n  database: gold\n  catalog_id: '1234'\n", "glue.catalog_id"),
        ("glue:\n  database: gold\n  region: us-east-1\n", "glue"),  # unknown key
        ("glue:\n  database: \"gold\\u202e\"\n", "glue.database"),  # the shared plain-text check
    ],
)
def test_bad_glue_values_name_the_field(tmp_path, yaml, field):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, yaml)
    message = str(caught.value)
    assert "\n" not in message and "federation.yaml:" in message and field in message
