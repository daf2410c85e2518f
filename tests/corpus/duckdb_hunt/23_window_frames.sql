-- name: window_frames
-- expect: portable
WITH daily AS (
  SELECT order_date, SUM(amount) AS revenue
  FROM {{ ref('fact_sales') }}
  WHERE order_date BETWEEN DATE '2024-03-01' AND DATE '2024-03-31'
  GROUP BY order_date
)
SELECT order_date, revenue,
  SUM(revenue) OVER (ORDER BY order_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS rolling_7,
  AVG(revenue) OVER (ORDER BY order_date ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS centred_avg,
  SUM(revenue) OVER (ORDER BY order_date RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
FROM daily
ORDER BY order_date
