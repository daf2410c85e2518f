-- name: window_running_total
-- expect: portable; a running total with the default frame (RANGE UNBOUNDED PRECEDING .. CURRENT ROW)
WITH daily AS (
  SELECT order_date, SUM(amount) AS revenue FROM {{ ref('fact_sales') }} GROUP BY order_date
)
SELECT order_date, revenue, SUM(revenue) OVER (ORDER BY order_date) AS running
FROM daily
ORDER BY order_date
