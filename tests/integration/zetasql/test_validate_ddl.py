"""A broken registration template fails once per template × engine, at the template line that produced the bad
text (ZetaSQL's parser for BigQuery, sqlglot for Snowflake), and the shipped templates pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The repository's config over a small generated gold sample."""
    from toolkit.config import load_config
    from toolkit.gold.sample import write_sample
    from toolkit.gold.schema import read_catalog

    root = tmp_path_factory.mktemp("ddl")
    write_sample(root / "gold", orders=50)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    (root / "federation.yaml").write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}"),
                                          encoding="utf-8")
    loaded = load_config(root / "federation.yaml")
    return loaded, read_catalog(loaded, "local")


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A writable copy of the DDL templates, used by the renderer and by the validator."""
    import toolkit.sql.ddl as ddl

    copy = tmp_path / "ddl"
    shutil.copytree(ddl.TEMPLATE_DIR, copy)
    monkeypatch.setattr(ddl, "TEMPLATE_DIR", copy)
    ddl.environment.cache_clear()
    yield copy
    ddl.environment.cache_clear()


def _break(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.replace(old, new, 1).splitlines()


def test_shipped_templates_pass(project):
    from toolkit.sql.validate.extras import ddl_results

    results = ddl_results(*project, ("bigquery", "snowflake"))
    assert results and all(r.ok for r in results), [r.message for r in results if not r.ok]


def test_broken_templates_point_at_the_template_line(project, templates):
    from toolkit.sql.validate.extras import ddl_results

    bq_lines = _break(templates / "bigquery" / "external_table.sql.j2", "WITH CONNECTION {{", "WITH CONECTION {{")
    sf_lines = _break(templates / "snowflake" / "stage.sql.j2", "CREATE STAGE", "CREATE STAEG")
    results = ddl_results(*project, ("bigquery", "snowflake"))
    failed = {(r.file.rsplit("/", 2)[-2], r.file.rsplit("/", 1)[-1]): r for r in results if not r.ok}
    assert set(failed) == {("bigquery", "external_table.sql.j2"), ("snowflake", "stage.sql.j2")}
    assert len([r for r in results if r.file.endswith("bigquery/external_table.sql.j2")]) == 1  # one per template

    bq = failed[("bigquery", "external_table.sql.j2")]
    assert 'got identifier "CONECTION"' in bq.message and "more rendered objects fail too" in bq.message
    assert bq_lines[bq.line - 1].startswith("WITH CONECTION") and bq.column == 6
    assert bq.excerpt.splitlines() == [bq_lines[bq.line - 1], "     ^"]

    sf = failed[("snowflake", "stage.sql.j2")]
    assert "not a statement Snowflake knows: `CREATE STAEG" in sf.message
    assert sf_lines[sf.line - 1].startswith("CREATE STAEG") and sf.column == 1
