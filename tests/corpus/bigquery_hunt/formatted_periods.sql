-- name: formatted_periods
-- description: Revenue by formatted period labels (FORMAT_DATE with %Y-%m, %b, %Y%m%d, %a, %Q, %ISOWEEK pieces).
-- expect: portable
SELECT
  FORMAT_DATE('%Y-%m', order_date) AS year_month,
  FORMAT_DATE('%b %Y', order_date) AS month_label,
  FORMAT_DATE('%a', order_date) AS weekday_short,
  FORMAT_DATE('%G-W%V', order_date) AS iso_week,
  MIN(FORMAT_DATE('%Y%m%d', order_date)) AS first_day,
  SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2023-12-20' AND DATE '2024-01-20'
GROUP BY 1, 2, 3, 4
ORDER BY 1, 4, 3
