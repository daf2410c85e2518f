-- name: truncated_hours
-- expect: portable
SELECT date_trunc('month', order_date) AS month,
  MIN(strftime(date_trunc('month', order_date), '%Y-%m-%d %H:%M:%S')) AS month_text,
  MIN(CAST(date_trunc('week', order_date) AS VARCHAR)) AS first_week_text,
  COUNT(*) FILTER (WHERE order_ts >= date_trunc('month', order_date) + INTERVAL 12 HOUR) AS afternoon_lines,
  MAX(extract(hour FROM date_trunc('month', order_date))) AS midnight_hour
FROM {{ ref('fact_sales') }}
WHERE order_date >= DATE '2024-10-01'
GROUP BY 1
ORDER BY 1
