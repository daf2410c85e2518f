-- name: month_ends
-- description: Lines per month end and days left in the month at order time, with LAST_DAY and DATEADD.
SELECT
  LAST_DAY(order_date) AS month_end,
  LAST_DAY(order_date, 'year') AS year_end,
  DATEADD(month, 1, LAST_DAY(order_date)) AS next_month_same_day,
  SUM(DATEDIFF(day, order_date, LAST_DAY(order_date))) AS days_left_total,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date >= '2024-01-01'
GROUP BY 1, 2, 3
ORDER BY 1
