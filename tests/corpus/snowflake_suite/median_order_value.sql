-- name: median_order_value
-- description: Median value of a (non-cancelled) order, computed exactly and portably (no MEDIAN aggregate on BigQuery).
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
),
ranked AS (
  SELECT
    order_value,
    ROW_NUMBER() OVER (ORDER BY order_value, order_id) AS position,
    COUNT(*) OVER () AS orders
  FROM orders
)
SELECT
  AVG(order_value) AS median_order_value,
  MAX(orders) AS orders
FROM ranked
WHERE position IN (FLOOR((orders + 1) / 2), CEIL((orders + 1) / 2))
ORDER BY median_order_value
