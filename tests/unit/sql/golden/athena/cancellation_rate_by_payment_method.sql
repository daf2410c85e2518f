-- cancellation_rate_by_payment_method: compiled by fedkit for athena from cancellation_rate_by_payment_method.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule count-if: COUNT_IF(c) -> SUM(CASE WHEN c THEN 1 WHEN NOT c THEN 0 END) (NULL over no known c, as DuckDB)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  payment_method,
  COUNT(*) AS lines,
  SUM(CASE WHEN status = 'Cancelled' THEN 1 WHEN NOT status = 'Cancelled' THEN 0 END) AS cancelled_lines,
  CAST(SUM(CASE WHEN status = 'Cancelled' THEN 1 WHEN NOT status = 'Cancelled' THEN 0 END) AS DOUBLE) / COUNT(*) AS cancellation_rate
FROM gold_lake.fact_sales
GROUP BY
  payment_method
ORDER BY
  payment_method NULLS LAST
