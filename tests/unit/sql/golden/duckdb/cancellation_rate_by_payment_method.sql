-- cancellation_rate_by_payment_method: compiled by fedkit for duckdb from cancellation_rate_by_payment_method.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  payment_method,
  COUNT(*) AS lines,
  COUNT_IF(status = 'Cancelled') AS cancelled_lines,
  COUNT_IF(status = 'Cancelled') / COUNT(*) AS cancellation_rate
FROM fact_sales
GROUP BY
  payment_method
ORDER BY
  payment_method NULLS LAST
