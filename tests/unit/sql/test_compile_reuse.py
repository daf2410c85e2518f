"""Work done once per process or per source, not per engine: the catalog's sqlglot schema, the annotated tree."""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from tests.unit.sql.sqltest_catalog import sample_catalog
from toolkit.sql.compile import compile_query, reusing
from toolkit.sql.sqlglot_schema import _build_schema, catalog_schema


def test_schema_is_reused_for_the_same_catalog_and_dialect_only_while_reusing() -> None:
    catalog = sample_catalog()
    with reusing():
        first = catalog_schema(catalog, dialect="duckdb")
        assert catalog_schema(sample_catalog(), dialect="duckdb") is first  # equal catalogs share it
        assert catalog_schema(catalog, dialect="bigquery") is not first
        renamed = replace(catalog, tables=catalog.tables[1:])
        assert "fact_sales" not in catalog_schema(renamed, dialect="duckdb").mapping  # another catalog, another one
    assert catalog_schema(catalog, dialect="duckdb") is not first  # outside a scope: built from the catalog again
    assert catalog_schema(catalog, dialect="duckdb") is not catalog_schema(catalog, dialect="duckdb")


def test_reused_schema_gives_the_types_of_a_fresh_one() -> None:
    catalog = sample_catalog()
    shared, fresh = catalog_schema(catalog, "duckdb"), _build_schema(catalog, "duckdb")
    for table in catalog.tables:
        for column in table.columns:
            assert shared.get_column_type(exp.to_table(table.name), column.name) == \
                fresh.get_column_type(exp.to_table(table.name), column.name)


def test_compiling_twice_with_the_shared_schema_gives_the_same_sql() -> None:
    sql = "SELECT order_date, SUM(amount) / COUNT(*) AS avg_amount FROM fact_sales GROUP BY order_date"
    with reusing():
        runs = [compile_query(sql, source_dialect="duckdb", engine=e, catalog=sample_catalog()).sql
                for e in ("bigquery", "snowflake", "bigquery", "snowflake")]
    assert runs[0] == runs[2] and runs[1] == runs[3]
    assert "CAST(SUM(amount) AS FLOAT64)" in runs[0]  # the decimal type reached the division rule


def test_a_prepared_source_is_handed_out_as_copies_the_rules_cannot_share() -> None:
    from toolkit.sql import compile as compiler

    sql = "SELECT channel, SUM(amount) AS total FROM fact_sales GROUP BY channel"
    with reusing():
        first = compiler._prepared(sql, "duckdb", sample_catalog())
        second = compiler._prepared(sql, "duckdb", sample_catalog())
        assert first is not second and first == second
        assert first.find(exp.Sum).type.is_type("decimal")  # the catalog type of amount came along with the copy
        assert first.find(exp.Sum).type == second.find(exp.Sum).type
        first.find(exp.Column).replace(exp.column("status"))
        third = compiler._prepared(sql, "duckdb", sample_catalog())
        assert third == second != first  # a rule rewriting its copy changes nothing for the next engine
    assert not compiler._PREPARED  # forgotten when the scope ends


def test_outside_a_scope_nothing_is_reused(monkeypatch) -> None:
    """A rule test swaps part of the compiler and compiles again: it must see the swapped code's result."""
    import toolkit.sql.rules.decimals as decimals

    typed = "SELECT channel, SUM(quantity) * 1.0 / COUNT(*) AS q FROM fact_sales GROUP BY channel"
    right = compile_query(typed, source_dialect="duckdb", engine="snowflake", catalog=sample_catalog(), pretty=False).sql
    monkeypatch.setattr(decimals, "type_decimal_literals", lambda tree, dialect: None)
    wrong = compile_query(typed, source_dialect="duckdb", engine="snowflake", catalog=sample_catalog(), pretty=False).sql
    assert "CAST(SUM(quantity) * 1.0 AS DOUBLE)" in right and "CAST(" not in wrong


def test_a_source_that_fails_to_prepare_fails_the_same_way_for_every_engine() -> None:
    import pytest

    from toolkit.sql.compile import SqlSyntaxError

    messages = []
    for engine in ("bigquery", "snowflake", "duckdb"):
        with pytest.raises(SqlSyntaxError) as caught:
            compile_query("SELECT amount FROM shop.nope", source_dialect="duckdb", engine=engine,
                          catalog=sample_catalog())
        messages.append(caught.value.message)
    assert len(set(messages)) == 1 and "not a gold table" in messages[0]
