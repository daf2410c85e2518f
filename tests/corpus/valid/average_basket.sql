-- Average order value with a portable division (NULLIF guards the zero).
WITH orders AS (
  SELECT order_id, SUM(amount) AS order_total, SUM(quantity) AS items
  FROM {{ ref('fact_sales') }}
  GROUP BY order_id
)
SELECT
  COUNT(*) AS orders,
  SUM(order_total) / NULLIF(COUNT(*), 0) AS avg_order_value,
  SUM(items) / NULLIF(COUNT(*), 0) AS avg_items
FROM orders
