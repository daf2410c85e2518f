-- median_order_value: compiled by fedkit for bigquery from median_order_value.sql; do not edit
-- rule quantile-fold: median/quantile -> MAX(PERCENTILE_CONT(x, f) OVER (PARTITION BY the group keys)) over the same rows
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH orders AS (
  SELECT
    order_id,
    SUM(amount) AS order_value
  FROM `fedkit-demo.gold.fact_sales`
  WHERE
    status <> 'Cancelled'
  GROUP BY
    order_id
)
SELECT
  MAX(_q1) AS median_order_value,
  COUNT(*) AS orders
FROM (
  SELECT
    PERCENTILE_CONT(CAST(order_value AS FLOAT64), 0.5) OVER () AS _q1
  FROM orders
) AS _fedkit_rows
ORDER BY
  median_order_value NULLS LAST
