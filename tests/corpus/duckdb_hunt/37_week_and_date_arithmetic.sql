-- name: week_and_date_arithmetic
-- expect: portable
SELECT channel,
  MIN(date_diff('week', order_date, DATE '2024-12-31')) AS min_weeks_left,
  MAX(date_diff('week', order_date, DATE '2024-12-31')) AS max_weeks_left,
  MAX(date_add(order_date, INTERVAL 1 MONTH)) AS last_plus_month,
  MIN(DATE '2024-12-31' - order_date) AS min_days_left,
  MAX(last_day(order_ts)) AS last_month_end,
  COUNT(*) FILTER (WHERE weekday(order_date) = 0) AS sunday_lines,
  MAX(extract(epoch FROM order_ts)) AS last_epoch
FROM {{ ref('fact_sales') }}
WHERE order_date >= DATE '2024-11-01'
GROUP BY channel
ORDER BY channel
