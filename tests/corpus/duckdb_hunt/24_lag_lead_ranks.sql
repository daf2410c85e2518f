-- name: lag_lead_ranks
-- expect: portable
WITH monthly AS (
  SELECT order_month, SUM(amount) AS revenue
  FROM {{ ref('fact_sales') }}
  GROUP BY order_month
)
SELECT order_month, revenue,
  lag(revenue, 1, 0) OVER (ORDER BY order_month) AS prev_revenue,
  lead(revenue) OVER (ORDER BY order_month) AS next_revenue,
  ntile(4) OVER (ORDER BY revenue) AS quartile,
  percent_rank() OVER (ORDER BY revenue) AS pct_rank,
  cume_dist() OVER (ORDER BY revenue) AS cume
FROM monthly
ORDER BY order_month
