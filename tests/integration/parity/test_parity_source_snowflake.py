"""A project whose KPIs are written in Snowflake SQL: fakesnow runs the source as the reference, after fedkit restates
what fakesnow gets wrong about Snowflake (fixed-point division, TO_CHAR formats); DuckDB and BigQuery (ZetaSQL) run
what fedkit compiles and must give Snowflake's documented answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from toolkit.config import load_config
from toolkit.sql.parity.runner import PARITY_ENGINES, run_parity

BY_PAYMENT = """-- name: by_payment
SELECT
  payment_method,
  COUNT_IF(status = 'Cancelled') / COUNT(*) AS cancellation_rate,
  LISTAGG(DISTINCT status, '|') WITHIN GROUP (ORDER BY status) AS statuses,
  TO_CHAR(MIN(order_date), 'YYYY-MM') AS first_month,
  DAYOFWEEK(MIN(order_date)) AS first_weekday,
  IFF(SUM(quantity) > 100, 'big', 'small') AS size
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method
"""


def test_snowflake_source_passes_with_snowflakes_own_answers(tmp_path: Path, parity_loaded, parity_catalog,
                                                             parity_data, parity_config_writer):
    (tmp_path / "kpi").mkdir()
    (tmp_path / "kpi" / "by_payment.sql").write_text(BY_PAYMENT)
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    loaded = load_config(parity_config_writer(tmp_path, gold, [tmp_path / "kpi"], source="snowflake"))
    report = run_parity(loaded, PARITY_ENGINES, 400, catalog=parity_catalog, data=parity_data)
    failures = [f"{r.kpi} on {r.engine}: {r.status}: {r.message}\n{r.sql}"
                for r in report.results if r.status != "pass"]
    assert not failures, "\n".join(failures)
    reference = report.kpis[0].reference
    rates = [v for v in reference.column("CANCELLATION_RATE").to_pylist() if v is not None]
    # Snowflake keeps 6 decimals for INTEGER / INTEGER (fakesnow alone would give DuckDB's DOUBLE)
    assert rates and all(Decimal(str(v)) == Decimal(str(v)).quantize(Decimal("0.000001")) for v in rates)
    assert pa.types.is_decimal(reference.schema.field("CANCELLATION_RATE").type)
    months = reference.column("FIRST_MONTH").to_pylist()
    assert all(len(m) == 7 and m[4] == "-" for m in months)  # 'YYYY-MM', not the whole date


SNOWFLAKE_SUITE = Path(__file__).resolve().parents[2] / "corpus" / "snowflake_suite"


def test_the_shipped_suite_written_in_snowflake_sql_passes_on_every_engine(
        tmp_path: Path, parity_loaded, parity_catalog, parity_data, parity_config_writer):
    """The 17 shipped KPIs as a Snowflake team writes them (IFF, DIV0, ZEROIFNULL, COUNT_IF, ::NUMBER(p, s),
    DATE_TRUNC('MONTH', d), QUALIFY): fakesnow runs them as written (with Snowflake's division scale restated),
    DuckDB and ZetaSQL run what fedkit compiles."""
    shipped = sorted(p.name for p in (Path(__file__).resolve().parents[3] / "sql" / "kpi").glob("*.sql"))
    assert sorted(p.name for p in SNOWFLAKE_SUITE.glob("*.sql")) == shipped
    gold = parity_loaded.resolve(parity_loaded.config.gold.local_dir)
    loaded = load_config(parity_config_writer(tmp_path, gold, [SNOWFLAKE_SUITE], source="snowflake"))
    report = run_parity(loaded, PARITY_ENGINES, 600, catalog=parity_catalog, data=parity_data)
    assert len(report.kpis) == len(shipped)
    failures = [f"{r.kpi} on {r.engine}: {r.status}: {r.message}\n{r.sql}"
                for r in report.results if r.status != "pass"]
    assert not failures, "\n".join(failures)
