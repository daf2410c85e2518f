"""Key-consistent sampling: whole orders, exactly the dimension rows they use, joins that lose nothing."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from toolkit.sql.parity.sample import ForeignKey, find_star, sample_tables


@pytest.fixture(scope="module")
def star() -> dict[str, pa.Table]:
    """A generic star: no name the sampler could know (lines/buyers/items/areas), plus two unrelated tables."""
    rng = np.random.default_rng(7)
    orders = 400
    lines_per_order = rng.integers(1, 5, orders)
    order_ids = np.repeat([f"O-{i:05d}" for i in range(orders)], lines_per_order)
    buyer_of_order = rng.integers(0, 120, orders)
    n = len(order_ids)
    buyers = np.repeat(buyer_of_order, lines_per_order)
    channel = np.array(["web", "app", None], dtype=object)[rng.integers(0, 3, n)]
    lines = pa.table({
        "line_no": pa.array(np.arange(n), pa.int64()),
        "order_id": pa.array(order_ids),
        "buyer_id": pa.array(buyers, pa.int64()),
        "item_id": pa.array(rng.integers(0, 60, n), pa.int32()),
        "channel": pa.array(channel, pa.string()),
        "amount": pa.array(rng.random(n)),
    })
    buyers_table = pa.table({
        "buyer_id": pa.array(np.arange(150), pa.int64()),  # 30 buyers never order
        "area_id": pa.array(rng.integers(0, 12, 150), pa.int64()),
        "name": pa.array([f"buyer {i}" for i in range(150)]),
    })
    items = pa.table({"ITEM_ID": pa.array(np.arange(60), pa.int64()), "category": [f"c{i % 7}" for i in range(60)]})
    areas = pa.table({"area_id": pa.array(np.arange(12), pa.int64()), "country": [f"k{i % 4}" for i in range(12)]})
    # Shares `order_id` with the fact by name only: none of its values are fact orders (not a dimension).
    unrelated = pa.table({"order_id": [f"Z-{i}" for i in range(900)], "x": pa.array(np.arange(900), pa.int64())})
    small = pa.table({"code": ["a", "b"], "label": ["A", "B"]})
    return {"lines": lines, "buyers": buyers_table, "items": items, "areas": areas, "unrelated": unrelated,
            "small": small}


def test_find_star_detects_fact_group_and_foreign_keys(star):
    schema = find_star(star)
    assert schema.fact == "lines"
    assert schema.group_column == "order_id"
    assert set(schema.foreign_keys) == {
        ForeignKey("lines", "buyer_id", "buyers", "buyer_id"),
        ForeignKey("lines", "item_id", "items", "ITEM_ID"),  # case-insensitive name, int32 -> int64
        ForeignKey("buyers", "area_id", "areas", "area_id"),  # a dimension of a dimension
    }


def test_sample_keeps_whole_orders_under_the_cap(star):
    sample = sample_tables(star, 300, seed=3)
    lines = sample.tables["lines"]
    assert sample.sampled and 0 < lines.num_rows <= 300
    kept = pc.unique(lines.column("order_id"))
    original = star["lines"].filter(pc.is_in(star["lines"].column("order_id"), value_set=kept))
    assert original.num_rows == lines.num_rows  # every line of every kept order
    assert sample.rows["lines"] == (lines.num_rows, star["lines"].num_rows)


def test_sample_keeps_exactly_the_referenced_dimension_rows(star):
    sample = sample_tables(star, 300, seed=3)
    lines, buyers, items, areas = (sample.tables[n] for n in ("lines", "buyers", "items", "areas"))
    assert set(buyers.column("buyer_id").to_pylist()) == set(lines.column("buyer_id").to_pylist())
    assert set(items.column("ITEM_ID").to_pylist()) == set(lines.column("item_id").to_pylist())
    assert set(areas.column("area_id").to_pylist()) == set(buyers.column("area_id").to_pylist())
    assert buyers.num_rows < star["buyers"].num_rows  # really a subset


def test_joins_on_the_sample_lose_no_rows(star):
    import duckdb

    sample = sample_tables(star, 250, seed=11)
    con = duckdb.connect()
    for name, table in sample.tables.items():
        con.register(name, table)
    joined = con.execute(
        "SELECT count(*) FROM lines l JOIN buyers b USING (buyer_id) JOIN items i ON i.ITEM_ID = l.item_id "
        "JOIN areas a ON a.area_id = b.area_id"
    ).fetchone()[0]
    assert joined == sample.tables["lines"].num_rows


def test_tables_outside_the_star(star):
    sample = sample_tables(star, 300, seed=3)
    assert sample.tables["unrelated"].num_rows == 300  # sampled by row count
    assert sample.tables["small"].equals(star["small"])  # small enough to keep whole
    assert list(sample.tables) == list(star)  # the caller's table order


def test_sample_is_deterministic_and_seeded(star):
    first, again = sample_tables(star, 300, seed=3), sample_tables(star, 300, seed=3)
    other = sample_tables(star, 300, seed=4)
    assert all(first.tables[n].equals(again.tables[n]) for n in star)
    assert not first.tables["lines"].equals(other.tables["lines"])


def test_no_sampling_when_the_data_fits(star):
    for cap in (None, 0, star["lines"].num_rows):
        sample = sample_tables(star, cap)
        assert not sample.sampled
        assert all(sample.tables[n] is star[n] for n in star)
    assert "no sampling" in sample_tables(star, None).describe()


def test_a_fact_without_a_group_column_is_sampled_row_by_row():
    fact = pa.table({"id": pa.array(np.arange(1000), pa.int64()), "dim_key": pa.array(np.arange(1000) % 10)})
    dim = pa.table({"dim_key": pa.array(np.arange(10)), "name": [str(i) for i in range(10)]})
    sample = sample_tables({"facts": fact, "dim": dim}, 100, seed=1)
    assert sample.schema.group_column is None
    assert sample.tables["facts"].num_rows == 100
    assert set(sample.tables["dim"].column("dim_key").to_pylist()) == set(
        sample.tables["facts"].column("dim_key").to_pylist())


def test_at_least_one_order_even_when_it_exceeds_the_cap():
    fact = pa.table({"order_id": ["a"] * 5 + ["b"] * 5, "v": list(range(10))})
    sample = sample_tables({"f": fact}, 3)
    assert sample.tables["f"].num_rows == 5
