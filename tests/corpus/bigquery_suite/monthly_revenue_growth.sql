-- name: monthly_revenue_growth
-- description: Net revenue per calendar month and its growth over the previous month (NULL for the first month).
-- grain: month
-- owner: finance
-- tags: [revenue, trend]
WITH monthly AS (
  SELECT
    DATE_TRUNC(order_date, MONTH) AS month,
    SUM(amount) AS revenue
  FROM {{ ref('fact_sales') }}
  WHERE status <> 'Cancelled'
  GROUP BY 1
)
SELECT
  month,
  revenue,
  LAG(revenue) OVER (ORDER BY month) AS previous_revenue,
  SAFE_DIVIDE(revenue - LAG(revenue) OVER (ORDER BY month), LAG(revenue) OVER (ORDER BY month)) AS mom_growth
FROM monthly
ORDER BY month
