"""The TPC-H-like suite (bench/tpch/kpi, 22 KPIs) over tpchgen-cli data at a tiny scale: every KPI compiles for
every engine and returns rows on the sample, because the sampler keeps TPC-H's differently named keys
(l_orderkey -> o_orderkey ...) consistent; the report says which keys it used and where each came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import EXIT_USAGE, UsageError

SCALE = 0.01  # 60,000 lines, written in about a second
SAMPLE_ROWS = 1000


@pytest.fixture(scope="module")
def tpch_gold(tmp_path_factory) -> Path:
    from bench.tpch import generate

    return generate(SCALE, tmp_path_factory.mktemp("tpch"))


def _loaded(folder: Path, gold: Path, relationships: str = "", kpi_paths=None):
    from bench.tpch import write_config
    from toolkit.config import load_config

    path = write_config(folder, gold, kpi_paths)
    if relationships:
        text = path.read_text().replace("  prefix: gold/\n", "  prefix: gold/\n  relationships:\n" + relationships)
        path.write_text(text)
    return load_config(path)


@pytest.fixture(scope="module")
def report(tpch_gold):
    from toolkit.sql.parity.runner import run_parity

    return run_parity(_loaded(tpch_gold.parent, tpch_gold), sample_rows=SAMPLE_ROWS)


def test_the_data_has_view_types_and_differently_named_keys(tpch_gold):
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(tpch_gold / "lineitem" / "part-0.parquet")
    assert schema.field("l_returnflag").type == pa.string_view()
    orders = pq.read_schema(tpch_gold / "orders" / "part-0.parquet")
    assert "l_orderkey" in schema.names and "o_orderkey" in orders.names


def test_every_tpch_kpi_compiles_everywhere_and_returns_rows_on_the_sample(report):
    assert len(report.kpis) == 22
    assert "lineitem" in report.sample and "by l_orderkey" in report.sample
    for run in report.kpis:
        assert run.reference is not None, (run.name, run.reference_error)
        assert run.reference.num_rows > 0, f"{run.name}: no row on the sample"
        assert any(v is not None for row in run.reference.to_pylist() for v in row.values()), run.name
    problems = [(r.kpi, r.engine, r.message) for r in report.results if r.status != "pass"]
    assert problems == []
    assert {r.engine for r in report.results} == {"bigquery", "snowflake", "duckdb"}


def test_the_report_names_the_keys_it_sampled_by_and_their_source(report):
    keys = {(k["from"], k["to"], k["kind"], k["source"]) for k in report.keys}
    for chain in (("lineitem.l_orderkey", "orders.o_orderkey"), ("orders.o_custkey", "customer.c_custkey"),
                  ("customer.c_nationkey", "nation.n_nationkey"), ("nation.n_regionkey", "region.r_regionkey")):
        assert (*chain, "many-to-one", "query") in keys
    assert ("partsupp.ps_partkey", "lineitem.l_partkey", "many-to-many", "query") in keys
    assert report.to_json()["keys"] == report.keys
    line = next(n for n in report.notes() if n.startswith("sample keys: "))
    assert "lineitem.l_orderkey -> orders.o_orderkey (query)" in line


def test_a_configured_relationship_is_used_when_no_query_states_it(tpch_gold, tmp_path):
    from toolkit.sql.parity.runner import run_parity

    kpi = Path(__file__).resolve().parents[3] / "bench" / "tpch" / "kpi" / "q01_pricing_summary.sql"  # no join
    loaded = _loaded(tmp_path, tpch_gold, "    - {from: LINEITEM.L_ORDERKEY, to: orders.o_orderkey}\n", [kpi])
    report = run_parity(loaded, engines=["duckdb"], sample_rows=SAMPLE_ROWS)
    assert {"from": "lineitem.l_orderkey", "to": "orders.o_orderkey", "kind": "many-to-one",
            "source": "config"} in report.keys


@pytest.mark.parametrize("relationship, message", [
    ("    - {from: lineitem.l_orderkey, to: orderz.o_orderkey}\n",
     r":6: gold\.relationships\.0\.to: no gold table 'orderz' \(tables: .*orders.*\); write table\.column$"),
    ("    - {from: lineitem.l_orderkey, to: orders.o_orderkey}\n    - {from: lineitem.nope, to: orders.o_orderkey}\n",
     r":7: gold\.relationships\.1\.from: table lineitem has no column 'nope' \(columns: l_orderkey, .*\)$"),
])
def test_an_unknown_table_or_column_in_relationships_is_a_usage_error_at_its_line(tpch_gold, tmp_path, relationship,
                                                                                    message):
    from toolkit.sql.parity.runner import run_parity

    loaded = _loaded(tmp_path, tpch_gold, relationship)
    with pytest.raises(UsageError, match=message) as caught:
        run_parity(loaded, engines=["duckdb"], sample_rows=SAMPLE_ROWS)
    assert caught.value.exit_code == EXIT_USAGE and "\n" not in caught.value.message
