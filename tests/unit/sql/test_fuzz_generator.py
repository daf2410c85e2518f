"""The fuzzer's generator and data: seeded (reproducible), typed (valid DuckDB), NULL-rich, and gaps left out."""

from __future__ import annotations

import duckdb
import pytest

from toolkit.sql.fuzz.catalog import gold_catalog, join_keys, key_column
from toolkit.sql.fuzz.data import fuzz_tables
from toolkit.sql.fuzz.gaps import KNOWN_GAPS
from toolkit.sql.fuzz.query import generate


@pytest.fixture(scope="module")
def catalog():
    return gold_catalog()


def test_join_keys_follow_the_gold_schema(catalog):
    edges = {(k.child, k.parent, k.column) for k in join_keys(catalog)}
    assert ("fact_sales", "dim_customer", "customer_id") in edges
    assert ("dim_customer", "dim_region", "region_id") in edges
    assert ("fact_sales", "dim_product", "product_id") in edges


def test_tables_are_seeded_null_rich_and_keyed(catalog):
    tables = fuzz_tables(catalog, 7)
    assert fuzz_tables(catalog, 7)["fact_sales"].equals(tables["fact_sales"])
    assert not fuzz_tables(catalog, 8)["fact_sales"].equals(tables["fact_sales"])
    for table in catalog.tables:
        data = tables[table.name]
        keys = data.column(key_column(table)).to_pylist()
        assert None not in keys and len(set(keys)) == len(keys)  # ORDER BY key is a total order
        others = [data.column(c.name) for c in table.columns[1:]]
        share = sum(c.null_count for c in others) / (len(others) * data.num_rows)
        assert 0.15 < share < 0.5, (table.name, share)
    customers = set(tables["dim_customer"].column("customer_id").to_pylist())
    referenced = [v for v in tables["fact_sales"].column("customer_id").to_pylist() if v is not None]
    assert customers & set(referenced) and set(referenced) - customers  # joins match, and some rows are orphans


def test_queries_are_reproducible_one_by_one(catalog):
    gaps = frozenset(KNOWN_GAPS)
    first = [generate(catalog, 3, i, gaps).sql() for i in range(20)]
    assert first == [generate(catalog, 3, i, gaps).sql() for i in range(20)]
    assert generate(catalog, 3, 17, gaps).sql() == first[17]  # query 17 alone is query 17 of the run
    assert first != [generate(catalog, 4, i, gaps).sql() for i in range(20)]


def test_generated_queries_are_valid_duckdb(catalog):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, table in fuzz_tables(catalog, 1).items():
        con.register(name, table)
    for index in range(120):
        sql = generate(catalog, 1, index, frozenset(KNOWN_GAPS)).sql()
        con.execute(sql).fetchall()  # raises on an invalid query


def test_known_gaps_are_left_out_and_can_be_put_back(catalog):
    for gap in ("median", "decimal_literal", "decimal_integer_division"):  # constructs the grammar names
        left_out = [generate(catalog, 2, i, frozenset({gap})) for i in range(400)]
        kept = [generate(catalog, 2, i, frozenset()) for i in range(400)]
        assert not any(q.constructs[gap] for q in left_out), gap
        assert any(q.constructs[gap] for q in kept), gap
    assert not any("median(" in generate(catalog, 2, i, frozenset({"median"})).sql().lower() for i in range(400))


def test_widened_shapes_are_valid_duckdb_and_gapped_as_said(catalog):
    """Subqueries, set operations, CTEs, outer joins and grouping sets run on DuckDB; with the KNOWN_GAPS entry a
    predicate in ROLLUP/CUBE is parenthesised, without it it is bare."""
    import sqlglot
    from sqlglot import exp

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, table in fuzz_tables(catalog, 5).items():
        con.register(name, table)
    gaps = frozenset(KNOWN_GAPS)
    seen: set[str] = set()
    for index in range(300):
        sql = generate(catalog, 5, index, gaps).sql()
        con.execute(sql).fetchall()
        tree = sqlglot.parse_one(sql, read="duckdb")
        seen.update(type(node).__name__ for node in tree.walk())
        for grouping in tree.find_all(exp.Rollup, exp.Cube):
            assert not any(isinstance(k, exp.Predicate) for k in grouping.expressions), sql
    assert {"Subquery", "Exists", "Union", "With"} <= seen and seen & {"Rollup", "Cube", "GroupingSets"}
    import re

    bare = [generate(catalog, 5, i, frozenset()).sql() for i in range(300)]
    assert any(re.search(r"(ROLLUP|CUBE) \((?!\()[^,()]* (<|>|=|<>|<=|>=) ", s) for s in bare)


def test_grouping_keys_over_keys_are_left_out_with_their_gap(catalog):
    import sqlglot

    from toolkit.sql.fuzz.query import _key_over_key

    def keys(*texts):
        return [sqlglot.parse_one(t, read="duckdb") for t in texts]

    assert _key_over_key(keys("date_trunc('quarter', t0.d)", "t0.d"))
    assert not _key_over_key(keys("date_trunc('quarter', t0.d)", "t0.e"))
    queries = [generate(catalog, 6, i, frozenset(KNOWN_GAPS)) for i in range(400)]
    assert not any(q.grouping is not None and _key_over_key(list(q.items[: q.keys])) for q in queries)
