-- name: timestamp_buckets
-- description: Lines per week and month of the order instant (TIMESTAMP_TRUNC to WEEK(MONDAY), MONTH, DAY; DATE of a TIMESTAMP; FORMAT_TIMESTAMP with %H).
-- expect: portable
SELECT
  TIMESTAMP_TRUNC(order_ts, WEEK(MONDAY)) AS week_start,
  TIMESTAMP_TRUNC(order_ts, MONTH) AS month_start,
  DATE(TIMESTAMP_TRUNC(order_ts, DAY)) AS first_day,
  MIN(FORMAT_TIMESTAMP('%H:%M', order_ts)) AS earliest_time,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2024-01-01' AND DATE '2024-02-15'
GROUP BY 1, 2, 3
ORDER BY 1, 3
