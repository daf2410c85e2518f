-- name: distinct_counts
-- description: Distinct customers, products and orders per month (COUNT DISTINCT of several columns and of an expression).
-- expect: portable
SELECT
  DATE_TRUNC(order_date, MONTH) AS month,
  COUNT(DISTINCT customer_id) AS customers,
  COUNT(DISTINCT product_id) AS products,
  COUNT(DISTINCT IF(status = 'Cancelled', order_id, NULL)) AS cancelled_orders,
  COUNT(DISTINCT CONCAT(channel, payment_method)) AS channel_methods
FROM {{ ref('fact_sales') }}
GROUP BY month
ORDER BY month
