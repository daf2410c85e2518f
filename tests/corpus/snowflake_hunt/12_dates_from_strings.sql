-- name: dates_from_strings
-- description: Lines per partition month parsed with TO_DATE (with and without a format) and TO_TIMESTAMP.
SELECT
  TO_DATE(order_month) AS month_start,
  TO_DATE(order_month, 'YYYY-MM-DD') AS month_start_fmt,
  TO_TIMESTAMP(order_month || ' 12:00:00') AS month_noon,
  DATEDIFF(day, TO_DATE('2024-01-01'), TO_DATE(order_month)) AS days_since_2024,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_month >= '2024-07-01'
GROUP BY order_month
ORDER BY month_start
