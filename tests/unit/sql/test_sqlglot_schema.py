"""The catalog's sqlglot schema is built once per (catalog, dialect) and answers like a fresh one."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.sql.sqltest_catalog import sample_catalog
from toolkit.sql.compile import compile_query
from toolkit.sql.sqlglot_schema import _build_schema, catalog_schema


def test_schema_is_reused_for_the_same_catalog_and_dialect_only() -> None:
    catalog = sample_catalog()
    first = catalog_schema(catalog, dialect="duckdb")
    assert catalog_schema(sample_catalog(), dialect="duckdb") is first  # equal catalogs share it
    assert catalog_schema(catalog, dialect="bigquery") is not first
    renamed = replace(catalog, tables=catalog.tables[1:])
    assert "fact_sales" not in catalog_schema(renamed, dialect="duckdb").mapping  # another catalog, another schema


def test_reused_schema_gives_the_types_of_a_fresh_one() -> None:
    from sqlglot import exp

    catalog = sample_catalog()
    shared, fresh = catalog_schema(catalog, "duckdb"), _build_schema(catalog, "duckdb")
    for table in catalog.tables:
        for column in table.columns:
            assert shared.get_column_type(exp.to_table(table.name), column.name) == \
                fresh.get_column_type(exp.to_table(table.name), column.name)


def test_compiling_twice_with_the_shared_schema_gives_the_same_sql() -> None:
    sql = "SELECT order_date, SUM(amount) / COUNT(*) AS avg_amount FROM fact_sales GROUP BY order_date"
    runs = [compile_query(sql, source_dialect="duckdb", engine=e, catalog=sample_catalog()).sql
            for e in ("bigquery", "snowflake", "bigquery", "snowflake")]
    assert runs[0] == runs[2] and runs[1] == runs[3]
    assert "CAST(SUM(amount) AS FLOAT64)" in runs[0]  # the decimal type reached the division rule
