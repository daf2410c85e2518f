-- name: epoch_constructors
-- description: Instants built from numbers and text (TIMESTAMP_SECONDS, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP of a DATE, DATETIME_TRUNC).
-- expect: portable
SELECT
  sale_id,
  TIMESTAMP_SECONDS(UNIX_SECONDS(order_ts) - 3600) AS hour_before,
  TIMESTAMP_MILLIS(UNIX_MILLIS(order_ts)) AS same_ms,
  TIMESTAMP_MICROS(UNIX_MICROS(order_ts) + 1) AS next_micro,
  DATETIME_TRUNC(DATETIME(order_ts), HOUR) AS wall_hour
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2024-07-01' AND DATE '2024-07-10'
ORDER BY sale_id
