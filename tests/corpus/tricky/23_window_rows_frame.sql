-- name: window_rows_frame
-- expect: portable; a 3-row moving average with an explicit ROWS frame
WITH daily AS (
  SELECT order_date, COUNT(*) AS lines FROM {{ ref('fact_sales') }} GROUP BY order_date
)
SELECT order_date, lines,
  AVG(lines) OVER (ORDER BY order_date ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_avg
FROM daily
ORDER BY order_date
