"""Athena and Redshift on the sandbox: the shipped KPI suite, compiled for each, runs on the DuckDB stand-in over the
same gold Parquet and gives DuckDB's answers; every run says the stand-in is NOT an independent oracle."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from toolkit.engines.registry import configured_engines, get_engine, parse_engines
from toolkit.errors import UsageError
from toolkit.sql.suite import load_suite, run_suite


@pytest.fixture(scope="module")
def aws_loaded(duck_gold, gold_config_writer, tmp_path_factory):
    from toolkit.config import load_config

    path = gold_config_writer(tmp_path_factory.mktemp("aws-config"), duck_gold)
    path.write_text(path.read_text() + "athena:\n  workgroup: fedkit\n  database: gold_lake\n"
                                       "redshift:\n  workgroup: fedkit-wg\n  external_schema: gold_spectrum\n")
    return load_config(path)


def _rows(table) -> list[tuple]:
    def normal(value):
        if isinstance(value, Decimal):
            return float(value)
        if hasattr(value, "date") and not isinstance(value, str) and getattr(value, "hour", 1) == 0:
            return value.date()
        return value
    return [tuple(normal(v) for v in row.values()) for row in table.to_pylist()]


def _same(left: list[tuple], right: list[tuple]) -> bool:
    if len(left) != len(right):
        return False
    for a, b in zip(left, right):
        for x, y in zip(a, b):
            if isinstance(x, float) and isinstance(y, (int, float)):
                if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif x != y:
                return False
    return True


def test_engines_join_all_only_when_configured(aws_loaded, duck_loaded):
    assert configured_engines(duck_loaded) == ("bigquery", "snowflake", "duckdb")
    assert configured_engines(aws_loaded) == ("bigquery", "snowflake", "duckdb", "athena", "redshift")
    with pytest.raises(UsageError, match="engine 'athena' needs a athena: section"):
        parse_engines("athena", duck_loaded)
    assert parse_engines("athena,redshift", aws_loaded) == ("athena", "redshift")


@pytest.mark.parametrize("name", ["athena", "redshift"])
def test_kpi_suite_runs_on_the_standin_with_duckdbs_answers(name, aws_loaded, duck_catalog):
    kpis = load_suite(aws_loaded, [], [])
    reference = {run.kpi: run for run in run_suite(kpis, get_engine("duckdb", aws_loaded), aws_loaded, duck_catalog)}
    engine = get_engine(name, aws_loaded, mode="sandbox")
    try:
        runs = run_suite(kpis, engine, aws_loaded, duck_catalog)
    finally:
        engine.close()
    assert len(runs) == len(kpis) >= 10
    for run in runs:
        assert run.ok, f"{run.kpi} on {name}: {run.error}"
        assert "NOT an independent oracle" in run.note
        assert _same(_rows(run.table), _rows(reference[run.kpi].table)), run.kpi
