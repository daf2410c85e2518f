-- name: weekly_revenue
-- description: Net revenue per week (Snowflake weeks start on Monday by default) in the last quarter of 2024.
SELECT
  DATE_TRUNC('week', order_date) AS week_start,
  DATEADD(day, 6, DATE_TRUNC('week', order_date)) AS week_end,
  LAST_DAY(order_date, 'week') AS week_last_day,
  SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN '2024-10-01' AND '2024-12-31' AND status <> 'Cancelled'
GROUP BY 1, 2, 3
ORDER BY 1
