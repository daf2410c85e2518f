"""A project whose KPIs are written in BigQuery SQL: the reference is then ZetaSQL running the source as written."""

from __future__ import annotations

from pathlib import Path

from toolkit.config import load_config
from toolkit.sql.parity.runner import run_parity

BY_PAYMENT = """-- name: by_payment
SELECT payment_method, COUNTIF(status = 'Cancelled') AS cancelled, COUNT(*) AS lines,
  SAFE_DIVIDE(COUNTIF(status = 'Cancelled'), COUNT(*)) AS rate
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method
"""
QUALIFIED = """-- name: qualified
-- A BigQuery team's own dataset and project names: the last part names the gold table on every engine.
SELECT p.category, COUNT(*) AS lines, SUM(f.amount) AS revenue
FROM shop.fact_sales AS f
JOIN `my-project.shop.dim_product` AS p ON p.product_id = f.product_id
GROUP BY p.category
ORDER BY p.category
"""
MONTHLY = """-- name: monthly
SELECT DATE_TRUNC(order_date, MONTH) AS month, SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY month
ORDER BY month
"""


def test_bigquery_source_is_the_reference(tmp_path: Path, parity_loaded, parity_catalog, parity_data,
                                          parity_config_writer):
    (tmp_path / "kpi").mkdir()
    (tmp_path / "kpi" / "by_payment.sql").write_text(BY_PAYMENT)
    (tmp_path / "kpi" / "monthly.sql").write_text(MONTHLY)
    (tmp_path / "kpi" / "qualified.sql").write_text(QUALIFIED)
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    loaded = load_config(parity_config_writer(tmp_path, gold, [tmp_path / "kpi"], source="bigquery"))
    report = run_parity(loaded, sample_rows=400, catalog=parity_catalog, data=parity_data)
    assert "bigquery dialect" in report.reference and "on the bigquery oracle" in report.reference
    failures = [f"{r.kpi} on {r.engine}: {r.message}" for r in report.results if r.status != "pass"]
    assert not failures, "\n".join(failures)
    assert next(run for run in report.kpis if run.name == "qualified").reference.num_rows > 0
    by_payment = next(run for run in report.kpis if run.name == "by_payment").reference
    assert by_payment.column("payment_method")[0].as_py() is None  # BigQuery ASC: the NULL group first


BIGQUERY_SUITE = Path(__file__).resolve().parents[2] / "corpus" / "bigquery_suite"


def test_the_shipped_suite_written_in_bigquery_sql_passes_on_every_engine(
        tmp_path: Path, parity_loaded, parity_catalog, parity_data, parity_config_writer):
    """The 17 shipped KPIs as a BigQuery team writes them (COUNTIF, SAFE_DIVIDE, IF, DATE_TRUNC(d, MONTH), QUALIFY,
    PERCENTILE_CONT OVER ()): ZetaSQL runs them as written, DuckDB and fakesnow run what fedkit compiles."""
    from toolkit.sql.parity.runner import PARITY_ENGINES

    shipped = sorted(p.name for p in (Path(__file__).resolve().parents[3] / "sql" / "kpi").glob("*.sql"))
    assert sorted(p.name for p in BIGQUERY_SUITE.glob("*.sql")) == shipped
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    loaded = load_config(parity_config_writer(tmp_path, gold, [BIGQUERY_SUITE], source="bigquery"))
    report = run_parity(loaded, PARITY_ENGINES, 600, catalog=parity_catalog, data=parity_data)
    assert len(report.kpis) == len(shipped)
    failures = [f"{r.kpi} on {r.engine}: {r.status}: {r.message}\n{r.sql}"
                for r in report.results if r.status != "pass"]
    assert not failures, "\n".join(failures)
    assert all(run.reference is not None and run.reference.num_rows > 0 for run in report.kpis)
