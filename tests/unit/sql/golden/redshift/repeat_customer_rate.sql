-- repeat_customer_rate: compiled by fedkit for redshift from repeat_customer_rate.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule count-if: COUNT_IF(c) -> SUM(CASE WHEN c THEN 1 WHEN NOT c THEN 0 END) (NULL over no known c, as DuckDB)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH per_customer AS (
  SELECT
    customer_id,
    COUNT(DISTINCT order_id) AS orders
  FROM gold_spectrum.fact_sales
  WHERE
    status <> 'Cancelled'
  GROUP BY
    customer_id
)
SELECT
  COUNT(*) AS customers,
  SUM(CASE WHEN orders > 1 THEN 1 WHEN NOT orders > 1 THEN 0 END) AS repeat_customers,
  CAST(SUM(CASE WHEN orders > 1 THEN 1 WHEN NOT orders > 1 THEN 0 END) AS DOUBLE PRECISION) / NULLIF(COUNT(*), 0) AS repeat_customer_rate
FROM per_customer
ORDER BY
  customers NULLS LAST
