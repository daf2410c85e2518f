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
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    loaded = load_config(parity_config_writer(tmp_path, gold, [tmp_path / "kpi"], source="bigquery"))
    report = run_parity(loaded, sample_rows=400, catalog=parity_catalog, data=parity_data)
    assert "bigquery dialect" in report.reference and "on the bigquery oracle" in report.reference
    failures = [f"{r.kpi} on {r.engine}: {r.message}" for r in report.results if r.status != "pass"]
    assert not failures, "\n".join(failures)
    by_payment = next(run for run in report.kpis if run.name == "by_payment").reference
    assert by_payment.column("payment_method")[0].as_py() is None  # BigQuery ASC: the NULL group first
