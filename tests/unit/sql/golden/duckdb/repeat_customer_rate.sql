-- repeat_customer_rate: compiled by fedkit for duckdb from repeat_customer_rate.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH per_customer AS (
  SELECT
    customer_id,
    COUNT(DISTINCT order_id) AS orders
  FROM fact_sales
  WHERE
    status <> 'Cancelled'
  GROUP BY
    customer_id
)
SELECT
  COUNT(*) AS customers,
  COUNT_IF(orders > 1) AS repeat_customers,
  COUNT_IF(orders > 1) / NULLIF(COUNT(*), 0) AS repeat_customer_rate
FROM per_customer
ORDER BY
  customers NULLS LAST
