"""The compiled KPI suite, pinned per engine: reviewed text under golden/<engine>/<kpi>.sql.

Regenerate after an intended change with:  FEDKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/sql/test_compile_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqltest_catalog import sample_catalog
from sqltest_config import loaded_config

from toolkit.sql.compile import compile_kpi
from toolkit.sql.kpi_files import load_kpi_files
from toolkit.sql.suite import compiled_file_text

REPO = Path(__file__).resolve().parents[3]
GOLDEN = Path(__file__).resolve().parent / "golden"
KPIS = load_kpi_files([REPO / "sql" / "kpi"])
UPDATE = os.environ.get("FEDKIT_UPDATE_GOLDEN") == "1"


def test_suite_has_the_required_kpis():
    names = {k.name for k in KPIS}
    assert len(KPIS) >= 17
    for required in ("amazon_revenue_by_category", "revenue_by_gender", "cancellation_rate_by_payment_method",
                     "monthly_revenue_growth", "top_products_per_category", "median_order_value",
                     "repeat_customer_rate", "aov_by_channel", "revenue_lost_to_cancellations"):
        assert required in names
    for kpi in KPIS:
        assert {"name", "description", "grain", "owner", "tags"} <= set(kpi.header), kpi.path
        assert "ORDER BY" in kpi.text.upper(), f"{kpi.name}: every KPI needs a deterministic ORDER BY"


@pytest.mark.parametrize("engine", ["bigquery", "snowflake", "duckdb"])
@pytest.mark.parametrize("kpi", KPIS, ids=lambda k: k.name)
def test_compiled_kpi_matches_golden(kpi, engine):
    text = compiled_file_text(kpi, compile_kpi(kpi, engine, loaded_config(), sample_catalog()))
    path = GOLDEN / engine / f"{kpi.name}.sql"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with FEDKIT_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


# Athena and Redshift: no engine here, so the golden text is their contract (unverified on the real engines).
AWS_SECTIONS = {"athena": {"workgroup": "fedkit", "database": "gold_lake"}, "redshift": {"workgroup": "fedkit-wg"}}


@pytest.mark.parametrize("engine", ["athena", "redshift"])
@pytest.mark.parametrize("kpi", KPIS, ids=lambda k: k.name)
def test_compiled_kpi_matches_golden_on_aws_engines(kpi, engine):
    text = compiled_file_text(kpi, compile_kpi(kpi, engine, loaded_config(**AWS_SECTIONS), sample_catalog()))
    path = GOLDEN / engine / f"{kpi.name}.sql"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with FEDKIT_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def test_compilation_is_stable():
    kpi = next(k for k in KPIS if k.name == "monthly_revenue_growth")
    first = compile_kpi(kpi, "bigquery", loaded_config(), sample_catalog()).sql
    assert all(compile_kpi(kpi, "bigquery", loaded_config(), sample_catalog()).sql == first for _ in range(3))


def test_no_golden_file_is_orphaned():
    names = {k.name for k in KPIS}
    for path in GOLDEN.glob("*/*.sql"):
        assert path.stem in names, f"{path} has no KPI any more; delete it"
