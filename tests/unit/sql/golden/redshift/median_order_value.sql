-- median_order_value: compiled by fedkit for redshift from median_order_value.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH orders AS (
  SELECT
    order_id,
    SUM(amount) AS order_value
  FROM gold_spectrum.fact_sales
  WHERE
    status <> 'Cancelled'
  GROUP BY
    order_id
)
SELECT
  MEDIAN(CAST(order_value AS DOUBLE PRECISION)) AS median_order_value,
  COUNT(*) AS orders
FROM orders
ORDER BY
  median_order_value NULLS LAST
