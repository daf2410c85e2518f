-- name: rolling_seven_day_revenue
-- description: Daily revenue with a 7-row moving average and running maximum (ROWS BETWEEN frames).
-- expect: portable
WITH daily AS (
  SELECT order_date, SUM(amount) AS revenue, COUNT(*) AS lines
  FROM {{ ref('fact_sales') }}
  GROUP BY order_date
)
SELECT
  order_date,
  revenue,
  AVG(revenue) OVER (ORDER BY order_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS avg_7,
  SUM(lines) OVER (ORDER BY order_date ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS lines_prev_3,
  MAX(revenue) OVER (ORDER BY order_date ROWS UNBOUNDED PRECEDING) AS running_max
FROM daily
ORDER BY order_date
