"""Registration DDL templates render in the bounded sandbox: read as text (no loader), the Snowflake helpers are
Python functions, and errors name the template file and line."""

from __future__ import annotations

import shutil

import pytest

import toolkit.sql.ddl as ddl
from toolkit.errors import UsageError
from toolkit.sql.safe_jinja import TemplateRefused


@pytest.fixture
def templates(tmp_path, monkeypatch):
    copy = tmp_path / "ddl"
    shutil.copytree(ddl.TEMPLATE_DIR, copy)
    monkeypatch.setattr(ddl, "TEMPLATE_DIR", copy)
    return copy


def test_no_macro_file_is_left_to_import():
    assert not list(ddl.TEMPLATE_DIR.rglob("_*.sql.j2"))
    for path in ddl.TEMPLATE_DIR.rglob("*.sql.j2"):
        assert "{% from" not in path.read_text(encoding="utf-8") and "{% import" not in path.read_text(encoding="utf-8")


def test_fq_and_partition_value_are_python_helpers():
    assert ddl.fq({"database": "Db", "schema": "Gold Layer"}, "t") == 'Db."Gold Layer".t'

    class Column:
        partition_key, nullable_partition, kind, type = "order_month=", True, "date", "DATE"

    assert ddl.partition_value(Column) == ("TO_DATE(NULLIF(SPLIT_PART(SPLIT_PART(metadata$filename, 'order_month=', "
                                           "2), '/', 1), '__HIVE_DEFAULT_PARTITION__'))")


def test_a_missing_template_keeps_its_message(templates):
    (templates / "snowflake" / "database.sql.j2").unlink()
    with pytest.raises(UsageError) as caught:
        ddl.render("snowflake", "database", database="D")
    # no install path in the message: the reader can only add the project's own sql/ddl/snowflake/database.sql.j2
    assert caught.value.message == "no DDL template snowflake/database.sql.j2 in sql/ddl nor in fedkit's own"


def test_template_errors_name_the_file_and_line(templates):
    path = templates / "snowflake" / "database.sql.j2"
    shown = "fedkit:ddl/snowflake/database.sql.j2"  # an installed template, never its path inside site-packages
    assert ddl.shown_template(path) == shown
    path.write_text('CREATE DATABASE\n{% from "snowflake/_macros.sql.j2" import fq %}\n', encoding="utf-8")
    with pytest.raises(TemplateRefused) as caught:
        ddl.render("snowflake", "database", database="D")
    assert caught.value.message == f"{shown}:2: template error: {{% from ... import %}} is not allowed (templates " \
                                   "render with no loader)"
    path.write_text("CREATE DATABASE\n\n{{ database.__class__ }}\n", encoding="utf-8")
    with pytest.raises(TemplateRefused, match=rf"^{shown}:3: template error: access to attribute '__class__'"):
        ddl.render("snowflake", "database", database="D")


def test_a_quoting_filter_error_is_not_a_template_error():
    with pytest.raises(UsageError) as caught:
        ddl.render("bigquery", "dataset", dataset="bad`name", location="aws-us-east-1")
    assert not isinstance(caught.value, TemplateRefused) and "template error" not in caught.value.message
