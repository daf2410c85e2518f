"""KPI files use Jinja only for `{{ ref('table') }}` and `{# comments #}`: everything else is refused with its line
before anything renders, and `ref()` checks the table again when it is called."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqltest_catalog import sample_catalog
from sqltest_config import loaded_config

from toolkit.errors import UsageError
from toolkit.sql.refs import TemplateRefused, check_kpi_template, render_refs


def _refused(text: str) -> str:
    with pytest.raises(TemplateRefused) as caught:
        render_refs(text, "duckdb", loaded_config(), path=Path("k.sql"), catalog=sample_catalog())
    assert "\n" not in caught.value.message and caught.value.exit_code == 2
    return caught.value.message


@pytest.mark.parametrize("text, line, what", [
    ("SELECT 1\n{% for t in ['a'] %}{{ t }}{% endfor %}", 2, "{% for %}"),
    ("SELECT 1\n\n{% set t = 'fact_sales' %}", 3, "{% set %}"),
    ("SELECT * FROM {{ ref('fact_sales') | upper }}", 1, "the filter |upper"),
    ("SELECT * FROM {{ ref.__globals__ }}", 1, "attribute or item access"),
    ("SELECT 1\nFROM {{ other }}\n", 2, "the name 'other'"),
    ("{% set t = 'fact_sales' %}SELECT * FROM {{ ref(t) }}", 1, "{% set %}"),
    ("SELECT * FROM\n{{ ref(\ntable_name) }}", 3, "ref() with something other than one quoted table name"),
    ("SELECT * FROM {{ ref('a', 'b') }}", 1, "ref() with something other than one quoted table name"),
    ("SELECT * FROM {{ ref(name='fact_sales') }}", 1, "ref() with something other than one quoted table name"),
    ("SELECT {{ 9**9**9 }}", 1, "an expression other than ref('table')"),
    ("SELECT {{ cycler.__init__.__globals__.os.popen('id').read() }}", 1, "a call other than ref()"),
    ("{% macro m() %}{% endmacro %}", 1, "{% macro %}"),
    ("{% include '/etc/passwd' %}", 1, "{% include %} is not allowed"),
])
def test_anything_but_literal_refs_is_refused_with_its_line(text, line, what):
    message = _refused(text)
    assert message.startswith(f"k.sql:{line}: template error: {what}")
    if "is not allowed" not in what:
        assert message.endswith("is not allowed; a KPI file may use Jinja only for {{ ref('table') }} (a quoted "
                                "table name) and {# comments #}")


def test_literal_refs_and_comments_are_what_is_allowed():
    text = "{# note #}SELECT *\nFROM {{ ref('fact_sales') }} JOIN {{ ref(\"dim_product\") }}\n"
    assert check_kpi_template(text, "k.sql") == [("fact_sales", 2), ("dim_product", 2)]


def test_a_ref_the_text_check_cannot_see_is_checked_when_called():
    """`ref ('nope')` is a call to Jinja but no `ref('name')` to the line scanner: the call checks it."""
    with pytest.raises(UsageError, match=r"^k\.sql:2: ref\('nope'\): unknown gold table; known: "):
        render_refs("SELECT 1\nFROM {{ ref ( 'nope' ) }}\n", "duckdb", loaded_config(), path=Path("k.sql"),
                    catalog=sample_catalog())
    text = render_refs("SELECT 1 FROM {{ ref ( 'fact_sales' ) }}", "bigquery", loaded_config(), catalog=sample_catalog())
    assert text == "SELECT 1 FROM `fedkit-demo.gold.fact_sales`"


def test_long_names_from_the_file_are_cut_short_in_messages():
    assert len(_refused("SELECT {{ " + "a" * 200_000 + " }}")) < 300
    with pytest.raises(UsageError) as caught:
        render_refs("SELECT 1 FROM {{ ref('" + "x" * 200_000 + "') }}", "duckdb", loaded_config(),
                    path=Path("k.sql"), catalog=sample_catalog())
    assert "… (200,000 characters)" in caught.value.message and len(caught.value.message) < 400
