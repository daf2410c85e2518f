"""Rendered DDL failures point at the template line the user edits (pure, no engines): the Jinja template's literal
text is matched against the rendered line; sqlglot's Command fallback is a Snowflake syntax error, not a pass."""

from __future__ import annotations

from toolkit.sql.ddl import TEMPLATE_DIR
from toolkit.sql.validate import omni
from toolkit.sql.validate.extras import _ddl_problem
from toolkit.sql.validate.template_lines import template_position


def test_the_rendered_line_maps_to_the_template_line_and_column():
    template = (
        "{#- a header\n"
        "    over two lines -#}\n"
        "CREATE EXTERNAL TABLE {{ dataset }}.{{ name }}\n"
        "WITH CONECTION {{ connection | bq_ident }}\n"
        "OPTIONS (format = 'PARQUET')\n"
    )
    rendered = "CREATE EXTERNAL TABLE gold.t\nWITH CONECTION `aws-us-east-1.c`\nOPTIONS (format = 'PARQUET')\n"
    assert template_position(template, rendered, 2, 6) == (4, 6)  # CONECTION, where it is typed
    # an error inside a rendered value: the line, at its first character
    assert template_position(template, rendered, 2, 20) == (4, 1)
    assert template_position(template, rendered, 3, 10) == (5, 10)
    assert template_position(template, rendered, 9, 1) is None


def test_the_most_literal_template_line_wins():
    template = "{{ a }} = {{ b }}\nuris = {{ uris }}\n"
    assert template_position(template, "uris = ['s3://b/t/*']", 1, 1) == (2, 1)


def test_shipped_external_table_template_positions():
    text = (TEMPLATE_DIR / "bigquery" / "external_table.sql.j2").read_text(encoding="utf-8")
    rendered = "CREATE EXTERNAL TABLE IF NOT EXISTS `gold`.`t`\nWITH CONNECTION `aws-us-east-1.c`\nOPTIONS (\n)\n"
    line, column = template_position(text, rendered, 2, 6)
    assert text.splitlines()[line - 1].startswith("WITH CONNECTION {{")
    assert column == 6


def test_snowflake_command_fallback_is_a_syntax_error_with_its_line():
    problem = _ddl_problem("snowflake", "CREATE STAEG IF NOT EXISTS A.B.S\n  URL = 's3://b/gold/'", None)
    assert problem is not None and problem.message.startswith("Snowflake syntax: not a statement Snowflake knows")
    assert (problem.line, problem.column) == (1, 1)
    assert _ddl_problem("snowflake", "CREATE STAGE IF NOT EXISTS A.B.S\n  URL = 's3://b/gold/'", None) is None


def test_snowflake_parse_error_keeps_its_position():
    problem = _ddl_problem("snowflake", "CREATE SCHEMA IF NOT EXISTS A.B\nCOMMENT = (", None)
    assert problem is not None and problem.message.startswith("Snowflake syntax")
    assert problem.line == 2


def test_omni_ddl_problems_have_positions():
    sql = "CREATE SCHEMA `gold`\nOPTIONS (location = 'us');\nCREATE TABLE gold.t (a INT64)"
    location, table = omni.ddl_problems(sql, location="aws-us-east-1")
    assert "not the configured Omni location" in location.message and (location.line, location.column) == (2, 22)
    assert "is not allowed" in table.message and (table.line, table.column) == (3, 1)
