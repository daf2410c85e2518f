"""The optional `athena:` and `redshift:` sections: absent by default, validated with one line naming file and field."""

from __future__ import annotations

import pytest

from toolkit.config import load_config
from toolkit.errors import ConfigError

BASE = "version: 1\ngold:\n  bucket: fedkit-demo-gold\n"


def _load(tmp_path, extra: str):
    path = tmp_path / "federation.yaml"
    path.write_text(BASE + extra)
    return load_config(path)


def test_sections_are_optional(tmp_path):
    config = _load(tmp_path, "").config
    assert config.athena is None and config.redshift is None


def test_athena_and_redshift_sections(tmp_path):
    config = _load(tmp_path, "athena:\n  workgroup: fedkit\n  output_location: s3://fedkit-results/athena/\n"
                             "  database: gold_lake\nredshift:\n  workgroup: fedkit-wg\n").config
    assert (config.athena.workgroup, config.athena.output_location, config.athena.database) == (
        "fedkit", "s3://fedkit-results/athena/", "gold_lake")
    assert (config.redshift.workgroup, config.redshift.database, config.redshift.external_schema) == (
        "fedkit-wg", "dev", "gold_spectrum")


@pytest.mark.parametrize("extra, message", [
    ("redshift:\n  database: dev\n", "federation.yaml:4: redshift: set exactly one of workgroup"),
    ("redshift:\n  workgroup: a\n  cluster_identifier: b\n", "redshift: set exactly one of workgroup"),
    ("athena:\n  workgroup: 'a b'\n", "federation.yaml:5: athena.workgroup: is not an Athena workgroup name"),
    ("athena:\n  output_location: /tmp/out\n", "athena.output_location: must be an s3://bucket/prefix/ URI"),
    ("athena:\n  database: Gold\n", "athena.database: must be lower-case"),
    ("redshift:\n  workgroup: wg\n  external_schema: 'x; drop'\n", "redshift.external_schema: is not a Redshift"),
])
def test_bad_values_name_file_line_and_field(tmp_path, extra, message):
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, extra)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_athena_names_tables_in_the_glue_database_and_redshift_in_the_external_schema(tmp_path):
    from toolkit.errors import UsageError
    from toolkit.sql.refs import qualified_name

    loaded = _load(tmp_path, "glue:\n  database: gold_lake\nathena:\n  workgroup: fedkit\n"
                             "redshift:\n  workgroup: wg\n  external_schema: spectrum_gold\n")
    assert qualified_name("fact_sales", "athena", loaded) == "gold_lake.fact_sales"
    assert qualified_name("fact_sales", "redshift", loaded) == "spectrum_gold.fact_sales"
    own = _load(tmp_path, "glue:\n  database: gold_lake\nathena:\n  database: other_db\n")
    assert qualified_name("fact_sales", "athena", own) == "other_db.fact_sales"
    with pytest.raises(UsageError, match=r"athena: set athena.database \(or a glue: section\)"):
        qualified_name("fact_sales", "athena", _load(tmp_path, "athena:\n  workgroup: fedkit\n"))
