"""Parity on Athena and Redshift (configured): the whole KPI suite passes on their DuckDB stand-ins, and the report
says they are NOT independent oracles; without the sections, the default engine list is unchanged."""

from __future__ import annotations

import pytest

from toolkit.sql.parity.runner import run_parity

SAMPLE_ROWS = 600


@pytest.fixture(scope="module")
def aws_loaded(parity_loaded, tmp_path_factory):
    from toolkit.config import load_config

    path = tmp_path_factory.mktemp("parity-aws") / "federation.yaml"
    path.write_text(parity_loaded.path.read_text() + "athena:\n  workgroup: fedkit\n  database: gold_lake\n"
                                                      "redshift:\n  workgroup: fedkit-wg\n")
    return load_config(path)


def test_kpi_suite_passes_on_the_aws_standins(aws_loaded, parity_catalog, parity_data):
    report = run_parity(aws_loaded, ("athena", "redshift"), SAMPLE_ROWS, catalog=parity_catalog, data=parity_data)
    failures = [f"{r.kpi} on {r.engine}: {r.status}: {r.message}" for r in report.results if r.status != "pass"]
    assert not failures, "\n".join(failures)
    assert len(report.results) == 2 * len(report.kpis) >= 2 * 17
    for engine in ("athena", "redshift"):
        info = report.oracles[engine]
        assert info.independent is False and "NOT an independent oracle" in info.description
        compiled = report.result("revenue_by_country", engine).sql
        assert ("gold_lake.fact_sales" if engine == "athena" else "gold_spectrum.fact_sales") in compiled


def test_without_the_sections_parity_engines_are_unchanged(parity_loaded):
    from toolkit.engines.registry import configured_engines

    assert configured_engines(parity_loaded) == ("bigquery", "snowflake", "duckdb")
