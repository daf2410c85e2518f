-- name: timestamp_arith
-- description: Delivery promises from order instants (TIMESTAMP_ADD/SUB, TIMESTAMP_DIFF in HOUR/DAY, DATETIME of a TIMESTAMP, EXTRACT of MINUTE/SECOND).
-- expect: portable
SELECT
  sale_id,
  TIMESTAMP_ADD(order_ts, INTERVAL 36 HOUR) AS promise,
  TIMESTAMP_SUB(order_ts, INTERVAL 15 MINUTE) AS cutoff,
  TIMESTAMP_DIFF(TIMESTAMP_ADD(order_ts, INTERVAL 36 HOUR), TIMESTAMP(order_date), DAY) AS promise_days,
  DATETIME(order_ts) AS wall_clock,
  EXTRACT(MINUTE FROM order_ts) AS minute,
  EXTRACT(SECOND FROM order_ts) AS second,
  DATE(TIMESTAMP_ADD(order_ts, INTERVAL 8 HOUR)) AS promise_date
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2024-02-25' AND DATE '2024-03-05'
ORDER BY sale_id
