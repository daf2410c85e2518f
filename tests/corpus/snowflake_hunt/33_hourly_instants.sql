-- name: hourly_instants
-- description: Lines per hour of day and order date cast from the order timestamp (UTC session).
SELECT
  HOUR(order_ts) AS order_hour,
  COUNT(*) AS lines,
  COUNT_IF(order_ts::DATE <> order_date) AS date_mismatches,
  MIN(DATE_TRUNC('hour', order_ts)) AS first_hour,
  SUM(DATEDIFF('minute', DATE_TRUNC('day', order_ts), order_ts)) AS minutes_into_day
FROM {{ ref('fact_sales') }}
WHERE order_date >= '2024-12-01'
GROUP BY 1
ORDER BY 1
