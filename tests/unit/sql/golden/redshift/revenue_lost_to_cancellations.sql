-- revenue_lost_to_cancellations: compiled by fedkit for redshift from revenue_lost_to_cancellations.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  SUM(amount) AS gross_amount,
  SUM(CASE WHEN status = 'Cancelled' THEN amount ELSE 0 END) AS cancelled_amount,
  CAST(SUM(CASE WHEN status = 'Cancelled' THEN amount ELSE 0 END) AS DOUBLE PRECISION) / NULLIF(SUM(amount), 0) AS cancelled_share
FROM gold_spectrum.fact_sales
ORDER BY
  gross_amount NULLS LAST
