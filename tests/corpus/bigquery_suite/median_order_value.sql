-- name: median_order_value
-- description: Median value of a (non-cancelled) order, computed exactly with BigQuery's PERCENTILE_CONT window function.
-- grain: total
-- owner: analytics
-- tags: [revenue, orders]
WITH orders AS (
  SELECT
    order_id,
    SUM(amount) AS order_value
  FROM {{ ref('fact_sales') }}
  WHERE status <> 'Cancelled'
  GROUP BY order_id
)
SELECT
  ANY_VALUE(median_order_value) AS median_order_value,
  COUNT(*) AS orders
FROM (
  SELECT PERCENTILE_CONT(CAST(order_value AS FLOAT64), 0.5) OVER () AS median_order_value
  FROM orders
)
ORDER BY median_order_value
