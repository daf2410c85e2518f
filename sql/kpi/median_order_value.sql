-- name: median_order_value
-- description: Median value of a (non-cancelled) order, computed exactly on every engine (median() compiles to each engine's exact native form).
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
  median(CAST(order_value AS DOUBLE)) AS median_order_value,
  COUNT(*) AS orders
FROM orders
ORDER BY median_order_value
