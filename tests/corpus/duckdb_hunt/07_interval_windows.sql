-- name: interval_windows
-- expect: portable
SELECT channel,
  COUNT(*) FILTER (WHERE order_date + INTERVAL 7 DAY > DATE '2024-12-31') AS last_week_lines,
  COUNT(*) FILTER (WHERE order_ts - INTERVAL '1 hour' >= TIMESTAMPTZ '2024-12-01 00:00:00+00') AS december_lines,
  MAX(order_ts + INTERVAL 30 MINUTE) AS last_plus_half_hour
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
