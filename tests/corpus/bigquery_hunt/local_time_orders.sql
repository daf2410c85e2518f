-- name: local_time_orders
-- description: Orders by New York local date and hour (DATE(ts, zone), EXTRACT(HOUR FROM ts AT TIME ZONE), FORMAT_TIMESTAMP).
-- expect: portable
SELECT
  DATE(order_ts, 'America/New_York') AS ny_date,
  EXTRACT(HOUR FROM order_ts AT TIME ZONE 'America/New_York') AS ny_hour,
  FORMAT_TIMESTAMP('%Y-%m-%d %H:00', order_ts) AS utc_hour_label,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2024-03-01' AND DATE '2024-04-15'
GROUP BY 1, 2, 3
ORDER BY 3
