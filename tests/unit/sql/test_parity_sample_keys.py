"""Keys whose columns have different names (TPC-H: l_orderkey -> o_orderkey): found from the queries, the config
and value containment, and kept consistent by the sampler so joins on the sample are not empty."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from toolkit.sql.parity.sample import ForeignKey, KeyHint, find_star, sample_tables
from toolkit.sql.parity.sample_keys import Link, names_match

CHAIN = ("SELECT count(*) FROM lineitem l JOIN orders o ON l.l_orderkey = o.o_orderkey "
         "JOIN customer c ON c.c_custkey = o.o_custkey JOIN nation n ON n.n_nationkey = c.c_nationkey "
         "JOIN region r ON r.r_regionkey = n.n_regionkey")


@pytest.fixture(scope="module")
def tpch() -> dict[str, pa.Table]:
    """A TPC-H-shaped schema: every key column named after its table (l_, o_, c_, n_, r_, p_, s_, ps_)."""
    rng = np.random.default_rng(1)
    orders, customers, parts, suppliers = 3000, 600, 400, 40
    lines = rng.integers(1, 8, orders)
    l_orderkey = np.repeat(np.arange(1, orders + 1) * 4, lines)  # sparse keys, like TPC-H's
    partsupp_part = np.repeat(np.arange(1, parts + 1), 4)
    partsupp_supp = (partsupp_part * 7 + np.tile(np.arange(4), parts) * (suppliers // 4)) % suppliers + 1
    pick = rng.integers(0, len(partsupp_part), len(l_orderkey))
    return {
        "lineitem": pa.table({
            "l_orderkey": pa.array(l_orderkey, pa.int64()),
            "l_partkey": pa.array(partsupp_part[pick], pa.int64()),
            "l_suppkey": pa.array(partsupp_supp[pick], pa.int64()),
            "l_linenumber": pa.array(np.concatenate([np.arange(1, n + 1) for n in lines]), pa.int32()),
            "l_quantity": pa.array(rng.integers(1, 50, len(l_orderkey)), pa.int64()),
        }),
        "orders": pa.table({"o_orderkey": pa.array(np.arange(1, orders + 1) * 4, pa.int64()),
                            "o_custkey": pa.array(rng.integers(1, customers + 1, orders), pa.int64()),
                            "o_orderstatus": pa.array(rng.choice(["F", "O", "P"], orders)).cast(pa.string_view())}),
        "customer": pa.table({"c_custkey": pa.array(np.arange(1, customers + 1), pa.int64()),
                              "c_nationkey": pa.array(rng.integers(0, 25, customers), pa.int64())}),
        "nation": pa.table({"n_nationkey": pa.array(np.arange(25), pa.int64()),
                            "n_regionkey": pa.array(np.arange(25) % 5, pa.int64()),
                            "n_name": [f"N{i}" for i in range(25)]}),
        "region": pa.table({"r_regionkey": pa.array(np.arange(5), pa.int64()), "r_name": [f"R{i}" for i in range(5)]}),
        "part": pa.table({"p_partkey": pa.array(np.arange(1, parts + 1), pa.int64()),
                          "p_size": pa.array(rng.integers(1, 51, parts), pa.int32())}),
        "supplier": pa.table({"s_suppkey": pa.array(np.arange(1, suppliers + 1), pa.int64()),
                              "s_nationkey": pa.array(rng.integers(0, 25, suppliers), pa.int64())}),
        "partsupp": pa.table({"ps_partkey": pa.array(partsupp_part, pa.int64()),
                              "ps_suppkey": pa.array(partsupp_supp, pa.int64()),
                              "ps_availqty": pa.array(rng.integers(1, 9999, len(partsupp_part)), pa.int64())}),
    }


def count(tables: dict[str, pa.Table], sql: str) -> int:
    con = duckdb.connect()
    for name, table in tables.items():
        con.register(name, table)
    return con.execute(sql).fetchone()[0]


def test_key_names_match_behind_table_prefixes_but_not_by_chance():
    assert names_match("l_orderkey", "orders", "o_orderkey")
    assert names_match("ps_suppkey", "supplier", "s_suppkey")
    assert names_match("customer_id", "customers", "id")  # a parent key called id, in a table named after it
    assert not names_match("l_linenumber", "nation", "n_nationkey")
    assert not names_match("o_custkey", "orders", "o_orderkey")
    assert not names_match("l_comment", "orders", "o_comment")  # free text: not checked at all (bounded cost)


def test_containment_finds_the_tpch_keys_and_not_the_chance_ones(tpch):
    star = find_star(tpch)
    assert star.fact == "lineitem" and star.group_column == "l_orderkey"  # whole orders, although it is a key
    edges = {str(e) for e in star.foreign_keys}
    assert {"lineitem.l_orderkey -> orders.o_orderkey", "orders.o_custkey -> customer.c_custkey",
            "customer.c_nationkey -> nation.n_nationkey", "nation.n_regionkey -> region.r_regionkey",
            "lineitem.l_partkey -> part.p_partkey", "lineitem.l_suppkey -> supplier.s_suppkey",
            "partsupp.ps_partkey -> part.p_partkey", "partsupp.ps_suppkey -> supplier.s_suppkey",
            "supplier.s_nationkey -> nation.n_nationkey"} == edges
    assert all(e.source == "containment" for e in star.foreign_keys)


def test_the_chain_lineitem_orders_customer_nation_region_loses_no_sampled_row(tpch):
    sample = sample_tables(tpch, 500, seed=3)
    lineitem = sample.tables["lineitem"]
    assert 0 < lineitem.num_rows <= 500 and sample.tables["orders"].num_rows < tpch["orders"].num_rows
    assert count(sample.tables, CHAIN) == lineitem.num_rows
    # a child of kept parents (partsupp) keeps rows matching them, so the five-way part/supplier join is not empty
    assert count(sample.tables, "SELECT count(*) FROM lineitem l JOIN partsupp ps ON ps.ps_partkey = l.l_partkey "
                 "AND ps.ps_suppkey = l.l_suppkey JOIN part p ON p.p_partkey = ps.ps_partkey "
                 "JOIN supplier s ON s.s_suppkey = ps.ps_suppkey") > 0


def _renamed(tpch: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Keys no name rule can match: orders.o_orderkey is `id`, lineitem's reference to it is `ticket`."""
    tables = dict(tpch)
    tables["lineitem"] = tpch["lineitem"].rename_columns(["ticket", "l_partkey", "l_suppkey", "l_linenumber",
                                                          "l_quantity"])
    tables["orders"] = tpch["orders"].rename_columns(["id", "o_custkey", "o_orderstatus"])
    return tables


def test_without_the_key_the_sampled_join_is_empty_and_a_query_key_fixes_it(tpch):
    tables = _renamed(tpch)
    join = "SELECT count(*) FROM lineitem l JOIN orders o ON o.id = l.ticket"
    blind = sample_tables(tables, 500, seed=3)
    # independent samples: most lines lose their order (500 of 3,000 orders kept; of 1.5 million at TPC-H SF1)
    assert count(blind.tables, join) < blind.tables["lineitem"].num_rows / 3
    hint = KeyHint("orders", "ID", "LINEITEM", "ticket", "query")  # as a query spells it: any case, any side
    sample = sample_tables(tables, 500, seed=3, hints=[hint])
    assert count(sample.tables, join) == sample.tables["lineitem"].num_rows > 0
    assert ForeignKey("lineitem", "ticket", "orders", "id") in sample.schema.foreign_keys
    assert {"from": "lineitem.ticket", "to": "orders.id", "kind": "many-to-one", "source": "query"} in sample.keys()
    assert {"from": "orders.o_custkey", "to": "customer.c_custkey", "kind": "many-to-one",
            "source": "containment"} in sample.keys()


def test_a_config_key_is_used_and_reported_as_config(tpch):
    tables = _renamed(tpch)
    sample = sample_tables(tables, 500, seed=3, hints=[KeyHint("lineitem", "ticket", "orders", "id", "config", True)])
    assert count(sample.tables, "SELECT count(*) FROM lineitem l JOIN orders o ON o.id = l.ticket") == \
        sample.tables["lineitem"].num_rows
    assert {"from": "lineitem.ticket", "to": "orders.id", "kind": "many-to-one", "source": "config"} in sample.keys()


def test_a_many_to_many_query_join_keeps_matching_rows_on_both_sides():
    rng = np.random.default_rng(2)
    visits = pa.table({"visit_no": pa.array(np.arange(5000), pa.int64()),
                       "city": pa.array(rng.choice([f"c{i}" for i in range(300)], 5000))})
    events = pa.table({"town": pa.array(rng.choice([f"c{i}" for i in range(300)], 3000)),
                       "kind": pa.array(rng.choice(["a", "b"], 3000))})
    hint = KeyHint("visits", "city", "events", "town", "query")
    sample = sample_tables({"visits": visits, "events": events}, 200, seed=1, hints=[hint])
    assert sample.schema.links == (Link("visits", "city", "events", "town"),)
    assert sample.keys() == [{"from": "visits.city", "to": "events.town", "kind": "many-to-many", "source": "query"}]
    events_kept = sample.tables["events"]
    assert 0 < events_kept.num_rows <= 200
    assert set(events_kept.column("town").to_pylist()) <= set(sample.tables["visits"].column("city").to_pylist())


def test_a_table_joined_to_two_kept_tables_keeps_rows_matching_both_or_else_either():
    """`notes` joins the fact on `a` and on `b`; no note matches both kept sets, so it keeps those matching either
    (an AND that keeps nothing would make both joins empty)."""
    fact = pa.table({"a": pa.array(np.arange(1000) % 50, pa.int64()), "b": pa.array(np.arange(1000) % 40, pa.int64())})
    notes = pa.table({"x": pa.array(np.arange(100) % 60, pa.int64()),
                      "y": pa.array(np.arange(100) % 7 + 1000, pa.int64())})  # no y is among the fact's b values
    hints = [KeyHint("fact", "a", "notes", "x", "query"), KeyHint("fact", "b", "notes", "y", "query")]
    sample = sample_tables({"fact": fact, "notes": notes}, 100, seed=2, hints=hints)
    kept = sample.tables["notes"]
    assert len(sample.schema.links) == 2 and kept.num_rows > 0
    assert set(kept.column("x").to_pylist()) <= set(sample.tables["fact"].column("a").to_pylist())
