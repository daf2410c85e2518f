"""Versions read from dist-info folder names agree with importlib.metadata; a source edit changes the fingerprint."""

from __future__ import annotations

from importlib.metadata import version

from toolkit.code_version import library_versions, tree_fingerprint


def test_versions_agree_with_importlib_metadata():
    names = ("sqlglot", "duckdb", "fakesnow", "snowflake-connector-python", "snowflake_connector_python", "Jinja2")
    found = library_versions(names + ("surely-not-installed-fedkit",))
    for name in names:
        assert found[name] == version(name)
    assert found["surely-not-installed-fedkit"] == "-"


def test_fingerprint_follows_content_and_names(tmp_path):
    (tmp_path / "a.py").write_text("A = 1\n")
    first = tree_fingerprint(tmp_path)
    assert tree_fingerprint(tmp_path) == first
    (tmp_path / "a.py").write_text("A = 2\n")
    second = tree_fingerprint(tmp_path)
    assert second != first
    (tmp_path / "a.py").rename(tmp_path / "b.py")
    renamed = tree_fingerprint(tmp_path)
    assert renamed not in (first, second)
    (tmp_path / "notes.txt").write_text("not code")  # only sources and templates count
    assert tree_fingerprint(tmp_path) == renamed
