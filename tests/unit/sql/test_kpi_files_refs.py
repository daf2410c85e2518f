"""KPI file headers, ref() rendering per engine, and the compiler's syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqltest_catalog import sample_catalog
from sqltest_config import loaded_config

from toolkit.errors import UsageError
from toolkit.sql.compile import SqlSyntaxError, compile_query
from toolkit.sql.kpi_files import load_kpi_files
from toolkit.sql.refs import render_refs

KPI = """-- name: orders_by_day
-- description: Orders per day.
-- grain: day
-- owner: analytics
-- tags: [orders, daily]

SELECT order_date, COUNT(*) AS n
FROM {{ ref('fact_sales') }}
GROUP BY order_date
ORDER BY order_date
"""


def test_header_is_parsed(tmp_path: Path):
    (tmp_path / "b.sql").write_text(KPI)
    (tmp_path / "a.sql").write_text("SELECT 1 AS x ORDER BY x\n")
    kpis = load_kpi_files([tmp_path])
    assert [k.name for k in kpis] == ["a", "orders_by_day"]  # sorted by file; the file stem is the default name
    kpi = kpis[1]
    assert kpi.header == {"name": "orders_by_day", "description": "Orders per day.", "grain": "day",
                          "owner": "analytics", "tags": ["orders", "daily"]}
    assert kpi.body_offset_lines == 6 and kpi.text.splitlines()[kpi.body_offset_lines].startswith("SELECT")


def test_a_byte_order_mark_is_not_part_of_the_sql(tmp_path: Path):
    """Editors on Windows save UTF-8 with a BOM; it must not become a syntax error at 1:1."""
    (tmp_path / "bom.sql").write_bytes(b"\xef\xbb\xbf" + KPI.encode())
    (kpi,) = load_kpi_files([tmp_path])
    assert kpi.name == "orders_by_day" and kpi.header["grain"] == "day" and not kpi.text.startswith("\ufeff")


def test_text_that_is_not_utf8_names_line_column_and_byte(tmp_path: Path):
    """A Latin-1 export used to say `cannot read KPI file: [path] 'utf-8' codec can't decode byte 0xe9 in position 41`."""
    path = tmp_path / "latin1.sql"
    # line 3: the "é" before is UTF-8 (two bytes, one column); the "£" after it is a lone Latin-1 byte
    path.write_bytes("-- name: latin1\nSELECT 1\n-- café £\n".encode("utf-8").replace("£".encode(), b"\xa3"))
    with pytest.raises(UsageError) as caught:
        load_kpi_files([path])
    assert str(caught.value) == f"{path}:3: not UTF-8 text (byte 0xa3 at column 9); save the file as UTF-8"
    (tmp_path / "latin1.sql").write_bytes(b"\xef\xbb\xbf\xff")  # after a BOM, on line 1
    with pytest.raises(UsageError, match=r"latin1\.sql:1: not UTF-8 text \(byte 0xff at column 1\)"):
        load_kpi_files([path])


def test_bad_headers_name_file_and_line(tmp_path: Path):
    (tmp_path / "x.sql").write_text("-- name: ok\n-- tags: [a, b\nSELECT 1\n")
    with pytest.raises(UsageError, match=r"x\.sql:2: tags"):
        load_kpi_files([tmp_path / "x.sql"])
    (tmp_path / "x.sql").write_text("-- name: not a name\nSELECT 1\n")
    with pytest.raises(UsageError, match=r"x\.sql:1: name"):
        load_kpi_files([tmp_path / "x.sql"])
    (tmp_path / "x.sql").write_text("-- name: same\nSELECT 1\n")
    (tmp_path / "y.sql").write_text("-- name: same\nSELECT 2\n")
    with pytest.raises(UsageError, match="already used"):
        load_kpi_files([tmp_path])
    with pytest.raises(UsageError, match="no such KPI file"):
        load_kpi_files([tmp_path / "missing"])


def test_refs_render_per_engine_and_keep_lines():
    loaded, catalog = loaded_config(), sample_catalog()
    rendered = {e: render_refs(KPI, e, loaded, catalog=catalog) for e in ("bigquery", "snowflake", "duckdb", "source")}
    assert "FROM `fedkit-demo.gold.fact_sales`" in rendered["bigquery"]
    assert "FROM ANALYTICS.GOLD.FACT_SALES" in rendered["snowflake"]
    assert "FROM fact_sales\n" in rendered["duckdb"] and rendered["duckdb"] == rendered["source"]
    assert all(text.count("\n") == KPI.count("\n") for text in rendered.values())


def test_unknown_ref_and_template_errors_name_the_line():
    loaded, catalog = loaded_config(), sample_catalog()
    with pytest.raises(UsageError, match=r"k\.sql:3: ref\('nope'\): unknown gold table"):
        render_refs("SELECT 1\nFROM x\nJOIN {{ ref('nope') }}\n", "duckdb", loaded, path=Path("k.sql"), catalog=catalog)
    with pytest.raises(UsageError, match=r"k\.sql:2: template error"):
        render_refs("SELECT 1\nFROM {{ other }}\n", "duckdb", loaded, path=Path("k.sql"), catalog=catalog)
    with pytest.raises(UsageError, match=r"k\.sql:1: template error"):
        render_refs("SELECT {{ ref('fact_sales') \n", "duckdb", loaded, path=Path("k.sql"), catalog=catalog)


def test_snowflake_quotes_only_names_that_are_not_plain():
    loaded = loaded_config(snowflake={"database": "ANALYTICS", "schema": '"Gold Layer"'})
    text = render_refs("SELECT * FROM {{ ref('fact_sales') }}", "snowflake", loaded, catalog=sample_catalog())
    assert text == 'SELECT * FROM ANALYTICS."Gold Layer".FACT_SALES'


def test_syntax_error_has_line_and_column():
    with pytest.raises(SqlSyntaxError) as info:
        compile_query("SELECT a,\n  (b FROM fact_sales", source_dialect="duckdb", engine="bigquery",
                      catalog=sample_catalog())
    assert info.value.line == 2 and info.value.column and "line 2" in str(info.value)
    assert isinstance(info.value, UsageError)
    with pytest.raises(SqlSyntaxError, match="exactly one"):
        compile_query("SELECT 1; SELECT 2", source_dialect="duckdb", engine="duckdb", catalog=sample_catalog())


def test_table_names_are_rendered_and_aliases_kept():
    sql = "SELECT fact_sales.amount, p.brand FROM fact_sales JOIN dim_product AS p ON p.product_id = fact_sales.product_id"
    names = {"fact_sales": "`proj.ds.fact_sales`", "dim_product": "`proj.ds.dim_product`"}
    text = compile_query(sql, source_dialect="duckdb", engine="bigquery", catalog=sample_catalog(),
                         table_names=names, pretty=False).sql
    assert text == ("SELECT fact_sales.amount, p.brand FROM `proj.ds.fact_sales` AS fact_sales "
                    "JOIN `proj.ds.dim_product` AS p ON p.product_id = fact_sales.product_id")
    cte = "WITH fact_sales AS (SELECT 1 AS amount) SELECT amount FROM fact_sales"
    assert "FROM fact_sales" in compile_query(cte, source_dialect="duckdb", engine="bigquery",
                                              catalog=sample_catalog(), table_names=names).sql


def test_multi_line_jinja_comment_and_expression_keep_every_line_in_place():
    loaded, catalog = loaded_config(), sample_catalog()
    text = (
        "{# a note\n"
        "   over two lines #}\n"
        "SELECT order_date,\n"
        "  COUNT(*) AS n\n"
        "FROM {{ ref(\n"
        "  'fact_sales') }} f\n"
        "WHERE quantity > 0\n"
    )
    rendered = render_refs(text, "snowflake", loaded, catalog=catalog)
    lines = rendered.split("\n")
    assert len(lines) == len(text.split("\n"))
    assert lines[2] == "SELECT order_date," and lines[3] == "  COUNT(*) AS n"
    assert lines[4].strip() == "FROM ANALYTICS.GOLD.FACT_SALES" and lines[5].strip() == "f"
    assert lines[6] == "WHERE quantity > 0"
    with pytest.raises(UsageError, match=r"k\.sql:4: ref\('nope'\)"):
        render_refs("{#\n#}\nSELECT 1 FROM {{ ref(\n'nope') }}\n", "duckdb", loaded, path=Path("k.sql"),
                    catalog=catalog)


def test_refs_inside_sql_comments_are_not_checked():
    loaded, catalog = loaded_config(), sample_catalog()
    text = (
        "-- built like ref('old_orders') used to be\n"
        "/* {{ ref('legacy') }} was here;\n"
        "   ref('gone') too */\n"
        "SELECT '--', COUNT(*) FROM {{ ref('fact_sales') }} -- not ref('nope')\n"
    )
    rendered = render_refs(text, "duckdb", loaded, path=Path("k.sql"), catalog=catalog)
    assert "FROM fact_sales -- not ref('nope')" in rendered
    assert rendered.count("\n") == text.count("\n")
    with pytest.raises(UsageError, match=r"k\.sql:2: ref\('nope'\)"):
        render_refs("SELECT '--'\nFROM {{ ref('nope') }}\n", "duckdb", loaded, path=Path("k.sql"), catalog=catalog)
