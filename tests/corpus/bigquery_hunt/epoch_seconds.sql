-- name: epoch_seconds
-- description: Epoch seconds and milliseconds of order instants (UNIX_SECONDS / UNIX_MILLIS truncate sub-second parts).
-- expect: portable
SELECT
  order_id,
  UNIX_SECONDS(order_ts) AS epoch_s,
  UNIX_MILLIS(order_ts) AS epoch_ms,
  UNIX_SECONDS(order_ts) - UNIX_SECONDS(TIMESTAMP(order_date)) AS seconds_into_day
FROM {{ ref('fact_sales') }}
WHERE order_date >= DATE '2024-10-01'
ORDER BY order_id, epoch_s
