-- name: weekly_quarterly_revenue
-- expect: portable
SELECT date_trunc('week', order_date) AS week_start,
  date_trunc('quarter', order_date) AS quarter_start,
  date_trunc('year', order_date) AS year_start,
  SUM(amount) AS revenue, COUNT(DISTINCT order_id) AS orders
FROM {{ ref('fact_sales') }}
WHERE status NOT IN ('Cancelled', 'Returned')
GROUP BY ALL
ORDER BY week_start
