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


@pytest.mark.parametrize("source", ["bigquery", "snowflake"])
def test_the_shipped_suite_in_bigquery_and_snowflake_sql_passes_on_athena_and_redshift(
        source, tmp_path, parity_loaded, parity_catalog, parity_data, parity_config_writer):
    """The source dialects compile through DuckDB (their rules state the source's semantics in DuckDB SQL, the
    DuckDB -> Athena / Redshift rules carry them on); the reference is the source as written on its own oracle."""
    from pathlib import Path

    from toolkit.config import load_config

    suite = Path(__file__).resolve().parents[2] / "corpus" / f"{source}_suite"
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    path = parity_config_writer(tmp_path, gold, [suite], source=source)
    path.write_text(path.read_text() + "athena:\n  workgroup: fedkit\n  database: gold_lake\n"
                                       "redshift:\n  workgroup: fedkit-wg\n")
    report = run_parity(load_config(path), ("athena", "redshift"), SAMPLE_ROWS, catalog=parity_catalog,
                        data=parity_data)
    assert len(report.kpis) >= 17 and f"{source} dialect" in report.reference
    failures = [f"{r.kpi} on {r.engine}: {r.status}: {r.message}\n{r.sql}" for r in report.results
                if r.status != "pass"]
    assert not failures, "\n".join(failures)


def test_tricky_corpus_on_athena_and_redshift(aws_loaded, parity_catalog, parity_data):
    """The tricky-query corpus: every query passes on both stand-ins, except what is refused with its alternative
    (weekday-name format codes everywhere; DISTINCT string_agg on Athena) and the query over no rows (`empty`)."""
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "corpus" / "tricky"
    report = run_parity(aws_loaded, ("athena", "redshift"), SAMPLE_ROWS, paths=[corpus], catalog=parity_catalog,
                        data=parity_data)
    refused = {("format_code_refused", "athena"), ("format_code_refused", "redshift"),
               ("string_agg_separator", "athena")}
    problems = []
    for result in report.results:
        if (result.kpi, result.engine) in refused:
            ok = result.status == "error" and result.message.startswith("compile:") and "use instead" in result.message
        elif result.kpi == "empty_grouped":
            ok = result.status == "empty"
        else:
            ok = result.status == "pass"
        if not ok:
            problems.append(f"{result.kpi} on {result.engine}: {result.status}: {result.message}")
    assert len(report.kpis) >= 25 and not problems, "\n".join(problems)
