"""Gold Parquet written with Arrow view and large types (Polars, DuckDB and tpchgen write them) works like plain
Parquet: sampled, evaluated on every oracle, and registered with the same column types."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROWS = 300  # fact rows sampled: the data has about 1,300, so the sampler really samples


def _widen(data_type: pa.DataType, large: bool = False) -> pa.DataType:
    """The view (tpchgen, Polars) or `large` (older Polars, DuckDB) flavour of a type."""
    if pa.types.is_string(data_type):
        return pa.large_string() if large else pa.string_view()
    if pa.types.is_binary(data_type):
        return pa.large_binary() if large else pa.binary_view()
    if pa.types.is_list(data_type):
        return pa.large_list(_widen(data_type.value_type, large))
    return data_type


def _rewrite(gold: Path, view: bool) -> None:
    """Every file gets a bytes and a list column; `view`: every string/binary/list column in its view/large type."""
    for path in sorted(gold.rglob("*.parquet")):
        table = pq.read_table(path, partitioning=None)
        first = table.column(0).cast(pa.string())
        table = table.append_column("raw", pa.compute.binary_join_element_wise(first, "", "").cast(pa.binary()))
        table = table.append_column("tags", pa.array([[v, "x"] for v in first.to_pylist()], pa.list_(pa.string())))
        if view:
            # every other column large rather than view: both flavours in one table
            table = table.cast(pa.schema([pa.field(f.name, _widen(f.type, i % 2 == 1))
                                          for i, f in enumerate(table.schema)]))
        pq.write_table(table, path)


@pytest.fixture(scope="module")
def twins(tmp_path_factory, parity_config_writer):
    """(plain, view): the same gold layer twice, once with plain Arrow types and once with view/large types."""
    from toolkit.config import load_config
    from toolkit.gold.sample import write_sample

    loaded = []
    for view in (False, True):
        root = tmp_path_factory.mktemp("view" if view else "plain")
        write_sample(root / "gold", orders=1000, seed=5)
        _rewrite(root / "gold", view)
        loaded.append(load_config(parity_config_writer(root, root / "gold")))
    schema = pq.read_schema(next((Path(loaded[1].config.gold.local_dir)).rglob("*.parquet")))
    assert pa.string_view() in schema.types and pa.large_string() in schema.types  # really the view/large types
    assert {pa.binary_view(), pa.large_binary()} & set(schema.types)
    return loaded[0], loaded[1]


def test_parity_runs_and_passes_on_view_typed_gold_like_on_plain_gold(twins):
    from toolkit.sql.parity.runner import run_parity

    plain, view = (run_parity(loaded, sample_rows=ROWS) for loaded in twins)
    assert [r.status for r in view.results] == ["pass"] * len(view.results), [
        (r.kpi, r.engine, r.message) for r in view.results if r.status != "pass"]
    assert view.sample == plain.sample  # same groups (order_id is a key although it is a string_view)
    assert "by order_id" in view.sample
    for plain_run, view_run in zip(plain.kpis, view.kpis):
        assert view_run.reference is not None and plain_run.reference is not None
        assert view_run.reference.num_rows == plain_run.reference.num_rows > 0


def test_registration_plans_the_same_columns_for_view_typed_gold(twins):
    from toolkit.registration.desired import desired_bigquery, desired_snowflake
    from toolkit.sql.suite import suite_catalog

    plain, view = ((suite_catalog(loaded), loaded) for loaded in twins)
    bq = [desired_bigquery(loaded, catalog).tables for catalog, loaded in (plain, view)]
    assert [t.columns for t in bq[0]] == [t.columns for t in bq[1]]
    assert ("raw", "BYTES") in bq[1][0].columns and ("tags", "ARRAY<STRING>") in bq[1][0].columns
    sf = [desired_snowflake(loaded, catalog).tables for catalog, loaded in (plain, view)]
    assert [t.columns for t in sf[0]] == [t.columns for t in sf[1]]


@pytest.mark.parametrize("engine", ["duckdb", "bigquery", "snowflake"])
def test_every_oracle_evaluates_view_typed_tables_given_directly(engine):
    """Not only through the gold reader: an oracle handed view/large columns converts them itself (ZetaSQL values,
    the fakesnow load's CREATE TABLE types)."""
    from toolkit.sql.parity.oracle import make_oracle

    table = pa.table({"k": pa.array(["a", "b", "a"], pa.string_view()),
                      "b": pa.array([b"x", b"y", None], pa.binary_view()),
                      "l": pa.array([["p"], ["q", "r"], []], pa.large_list(pa.string_view())),
                      "v": pa.array([1, 2, 3], pa.int64())})
    oracle = make_oracle(engine)
    try:
        rows = oracle.run("SELECT k, SUM(v) AS s, COUNT(b) AS n FROM t GROUP BY k ORDER BY k", {"t": table})
    finally:
        oracle.close()
    assert [[int(v) if not isinstance(v, str) else v for v in row.values()] for row in rows.to_pylist()] == [
        ["a", 4, 1], ["b", 2, 1]]
