"""Join keys read from the KPI SQL itself: ON, USING, WHERE between two tables, IN (SELECT …), through aliases,
CTEs and derived tables, back to base table columns."""

from __future__ import annotations

import pytest

from toolkit.sql.parity.query_keys import query_join_pairs

COLUMNS = {
    "lineitem": ["l_orderkey", "l_partkey", "l_suppkey", "l_quantity"],
    "orders": ["o_orderkey", "o_custkey", "o_orderdate"],
    "customer": ["c_custkey", "c_nationkey", "c_name"],
    "nation": ["n_nationkey", "n_name", "n_regionkey"],
    "part": ["p_partkey", "p_name"],
    "supplier": ["s_suppkey", "s_nationkey"],
}


def pairs(sql: str) -> set[frozenset[tuple[str, str]]]:
    """Undirected, lower-cased: an equality has no side."""
    return {frozenset({(a.lower(), b.lower()), (c.lower(), d.lower())})
            for a, b, c, d in query_join_pairs(sql, "duckdb", COLUMNS)}


def key(a: str, b: str) -> frozenset[tuple[str, str]]:
    return frozenset({tuple(a.split(".")), tuple(b.split("."))})


def test_on_conditions_through_table_aliases():
    sql = """SELECT n.n_name, SUM(l.l_quantity) FROM lineitem AS l
             JOIN orders o ON l.l_orderkey = o.o_orderkey AND o.o_orderdate >= DATE '1995-01-01'
             JOIN customer AS c ON c.c_custkey = o.o_custkey JOIN nation n ON n.n_nationkey = c.c_nationkey
             GROUP BY n.n_name"""
    assert pairs(sql) == {key("lineitem.l_orderkey", "orders.o_orderkey"), key("customer.c_custkey", "orders.o_custkey"),
                          key("nation.n_nationkey", "customer.c_nationkey")}


def test_comma_joins_with_where_equalities_and_unqualified_columns():
    sql = """SELECT s_suppkey FROM supplier, nation, customer
             WHERE s_nationkey = n_nationkey AND c_nationkey = n_nationkey AND n_name = 'FRANCE' AND 1 = 1"""
    assert pairs(sql) == {key("supplier.s_nationkey", "nation.n_nationkey"),
                          key("customer.c_nationkey", "nation.n_nationkey")}


def test_using_pairs_the_column_with_the_earlier_table_that_has_it():
    columns = {"sales": ["order_id", "store_id", "amount"], "stores": ["store_id", "city"], "orders": ["order_id"]}
    found = query_join_pairs("SELECT city FROM sales JOIN stores USING (store_id) JOIN orders USING (order_id)",
                             "duckdb", columns)
    assert set(found) == {("sales", "store_id", "stores", "store_id"), ("sales", "order_id", "orders", "order_id")}


def test_cte_and_derived_table_columns_resolve_to_their_base_columns():
    sql = """WITH o AS (SELECT o_orderkey AS ok, o_custkey FROM orders WHERE o_orderdate > DATE '1995-01-01'),
                  big AS (SELECT l_orderkey, SUM(l_quantity) AS q FROM lineitem GROUP BY l_orderkey)
             SELECT c.c_name FROM big JOIN o ON big.l_orderkey = o.ok
             JOIN (SELECT c_custkey AS id, c_name FROM customer) AS c ON c.id = o.o_custkey"""
    assert pairs(sql) == {key("lineitem.l_orderkey", "orders.o_orderkey"), key("customer.c_custkey", "orders.o_custkey")}


def test_correlated_exists_and_in_subqueries_give_semi_join_keys():
    sql = """SELECT o_orderkey FROM orders o
             WHERE EXISTS (SELECT 1 FROM lineitem l WHERE l.l_orderkey = o.o_orderkey)
               AND o.o_custkey IN (SELECT c_custkey FROM customer WHERE c_name LIKE 'A%')"""
    assert pairs(sql) == {key("lineitem.l_orderkey", "orders.o_orderkey"), key("orders.o_custkey", "customer.c_custkey")}


@pytest.mark.parametrize("sql", [
    "SELECT * FROM lineitem l JOIN orders o ON l.l_orderkey + 1 = o.o_orderkey",  # computed: no key
    "SELECT * FROM lineitem l JOIN lineitem l2 ON l.l_orderkey = l2.l_orderkey",  # a self-join: no edge
    "SELECT * FROM (SELECT l_orderkey AS k FROM lineitem UNION ALL SELECT o_orderkey FROM orders) u "
    "JOIN customer c ON u.k = c.c_custkey",  # a UNION's column is no single table's
    "SELECT FROM WHERE (",  # unparseable: no key, no exception
])
def test_no_key_where_none_is_stated(sql):
    assert pairs(sql) == set()
