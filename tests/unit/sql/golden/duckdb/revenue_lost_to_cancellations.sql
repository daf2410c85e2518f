-- revenue_lost_to_cancellations: compiled by fedkit for duckdb from revenue_lost_to_cancellations.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  SUM(amount) AS gross_amount,
  SUM(CASE WHEN status = 'Cancelled' THEN amount ELSE 0 END) AS cancelled_amount,
  SUM(CASE WHEN status = 'Cancelled' THEN amount ELSE 0 END) / NULLIF(SUM(amount), 0) AS cancelled_share
FROM fact_sales
ORDER BY
  gross_amount NULLS LAST
