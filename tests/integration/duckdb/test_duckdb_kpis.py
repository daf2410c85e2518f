"""DuckDB runs every KPI and every portable corpus query; the compiled SQL answers what the source SQL answers."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pyarrow as pa
import pytest
from sqltest_corpus import corpus, refused_engines

from toolkit.engines.base import Engine
from toolkit.engines.duckdb import DuckDBEngine
from toolkit.errors import CheckFailed
from toolkit.sql.compile import compile_kpi
from toolkit.sql.refs import render_refs
from toolkit.sql.suite import load_suite, run_suite


def _normal(value):
    """Parity-style normalisation: decimals and floats compare as numbers, midnight timestamps as dates."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
        return value.date()
    return value


def _same_rows(left: pa.Table, right: pa.Table) -> bool:
    a, b = left.to_pylist(), right.to_pylist()
    if len(a) != len(b) or left.schema.names != right.schema.names:
        return False
    for row_a, row_b in zip(a, b):
        for x, y in zip(map(_normal, row_a.values()), map(_normal, row_b.values())):
            if isinstance(x, float) and isinstance(y, float):
                if math.isnan(x) or math.isnan(y):
                    if not (math.isnan(x) and math.isnan(y)):
                        return False
                elif not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12):
                    return False
            elif x != y:
                return False
    return True


@pytest.fixture(scope="module")
def engine(duck_loaded, duck_catalog):
    with DuckDBEngine(duck_loaded, catalog=duck_catalog) as eng:
        yield eng


def test_engine_shape_and_session(engine):
    assert isinstance(engine, Engine)
    assert (engine.name, engine.dialect, engine.mode, engine.can_run, engine.can_dry_run, engine.can_register) == (
        "duckdb", "duckdb", "local", True, True, False,
    )
    assert engine.run("SELECT current_setting('TimeZone') AS tz").column("tz").to_pylist() == ["UTC"]
    months = engine.run("SELECT DISTINCT order_month FROM fact_sales ORDER BY 1 LIMIT 1")
    assert pa.types.is_date32(months.schema.field("order_month").type)  # hive partition typed per the catalog
    assert engine.run("SELECT COUNT(*) AS n FROM fact_sales").column("n")[0].as_py() == engine.catalog.table(
        "fact_sales").row_count


def test_timestamps_are_read_in_utc(engine):
    hours = engine.run("SELECT MIN(EXTRACT(HOUR FROM order_ts)) AS lo, MAX(EXTRACT(HOUR FROM order_ts)) AS hi FROM fact_sales")
    assert 0 <= hours.column("lo")[0].as_py() <= hours.column("hi")[0].as_py() <= 23


def test_dry_run_and_errors(engine):
    assert engine.dry_run("SELECT COUNT(*) FROM fact_sales") is None
    with pytest.raises(CheckFailed, match="duckdb: .*no_such_table"):
        engine.run("SELECT * FROM no_such_table")
    with pytest.raises(CheckFailed):
        engine.dry_run("SELECT nope FROM fact_sales")


def test_every_kpi_runs_and_matches_its_source(engine, duck_loaded, duck_catalog):
    kpis = load_suite(duck_loaded)
    assert len(kpis) >= 17
    runs = run_suite(kpis, engine, duck_loaded, duck_catalog)
    failures = {r.kpi: r.error for r in runs if not r.ok}
    assert not failures
    for kpi, run in zip(kpis, runs):
        assert run.table is not None and run.table.num_rows > 0, kpi.name
        source = engine.run(render_refs(kpi.text, "duckdb", duck_loaded, catalog=duck_catalog))
        assert _same_rows(source, run.table), kpi.name


def test_kpi_values_are_plausible(engine, duck_loaded, duck_catalog):
    kpis = {k.name: k for k in load_suite(duck_loaded)}

    def rows(name):
        return engine.run(compile_kpi(kpis[name], "duckdb", duck_loaded, duck_catalog).sql).to_pylist()

    payment = rows("cancellation_rate_by_payment_method")
    assert payment[-1]["payment_method"] is None  # the NULL group exists and sorts last
    assert all(0 <= r["cancellation_rate"] <= 1 for r in payment)
    top = rows("top_products_per_category")
    assert all(r["rank_in_category"] <= 3 for r in top)
    median = rows("median_order_value")[0]
    direct = engine.run(
        "SELECT median(v) AS m FROM (SELECT SUM(amount) AS v FROM fact_sales WHERE status <> 'Cancelled' GROUP BY order_id)"
    ).column("m")[0].as_py()
    assert math.isclose(median["median_order_value"], float(direct), rel_tol=1e-12)
    growth = rows("monthly_revenue_growth")
    assert growth[0]["mom_growth"] is None and isinstance(growth[0]["month"], dt.date)


PORTABLE = [q for q in corpus() if not refused_engines(q)]


@pytest.mark.parametrize("query", PORTABLE, ids=lambda q: q.name)
def test_corpus_query_compiled_for_duckdb_matches_source(engine, duck_loaded, duck_catalog, query):
    source = engine.run(render_refs(query.text, "duckdb", duck_loaded, catalog=duck_catalog))
    compiled = engine.run(compile_kpi(query, "duckdb", duck_loaded, duck_catalog).sql)
    assert _same_rows(source, compiled)


def test_from_arrow_tables():
    table = pa.table({"Order_ID": ["a", "b", None], "Amount": pa.array([1, 2, 3], pa.int64())})
    with DuckDBEngine.from_arrow({"amazon_sales_gold": table}) as eng:
        result = eng.run("SELECT order_id, SUM(amount) AS s FROM AMAZON_SALES_GOLD GROUP BY 1 ORDER BY 1 NULLS FIRST")
        assert result.to_pylist() == [{"Order_ID": None, "s": 3}, {"Order_ID": "a", "s": 1}, {"Order_ID": "b", "s": 2}]
        assert eng.run("SELECT current_setting('TimeZone') AS tz").to_pylist() == [{"tz": "UTC"}]


class _SamplingEngine:
    """An engine that, like the BigQuery sandbox's evaluator, answers from part of the data and says so."""

    name = "duckdb"

    def __init__(self, engine: DuckDBEngine):
        self._engine = engine
        self.last_note: str | None = None

    def run(self, sql: str) -> pa.Table:
        self.last_note = "evaluated a sample (fact_sales: 5,000 of 6,554 rows)"
        return self._engine.run(sql)


def test_run_shows_the_engines_note_next_to_the_rows(engine, duck_loaded, duck_catalog, capsys):
    from toolkit.cli.kpi_render import print_runs, runs_json

    kpis = load_suite(duck_loaded, ["aov_by_channel"])
    runs = run_suite(kpis, _SamplingEngine(engine), duck_loaded, duck_catalog)
    assert runs[0].ok and runs[0].note == "evaluated a sample (fact_sales: 5,000 of 6,554 rows)"
    assert runs_json(runs)["results"][0]["note"] == runs[0].note
    print_runs(runs, "text", 5)
    assert "note: evaluated a sample" in capsys.readouterr().out
    plain = run_suite(kpis, engine, duck_loaded, duck_catalog)  # DuckDB reads every row: no note
    assert plain[0].note is None and "note" not in runs_json(plain)["results"][0]
