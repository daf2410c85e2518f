-- name: hourly_instants
-- description: Lines per hour bucket with epoch seconds and minutes since the hour (TIMESTAMP_TRUNC, UNIX_SECONDS, TIMESTAMP_DIFF).
-- expect: portable
SELECT
  TIMESTAMP_TRUNC(order_ts, HOUR) AS hour_start,
  UNIX_SECONDS(TIMESTAMP_TRUNC(order_ts, HOUR)) AS hour_epoch,
  UNIX_DATE(order_date) AS day_number,
  COUNT(*) AS lines,
  MAX(TIMESTAMP_DIFF(order_ts, TIMESTAMP_TRUNC(order_ts, HOUR), MINUTE)) AS max_minute,
  MIN(UNIX_MILLIS(order_ts)) AS first_ms
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2024-11-25' AND DATE '2024-11-30'
GROUP BY 1, 2, 3
ORDER BY 1
