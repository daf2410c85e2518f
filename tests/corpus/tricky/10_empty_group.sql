-- name: empty_group
-- expect: portable; aggregates over no rows: COUNT 0, SUM/AVG/MAX NULL
SELECT COUNT(*) AS n, SUM(amount) AS total, AVG(quantity) AS avg_units, MAX(order_date) AS last_day,
  COUNT_IF(status = 'Cancelled') AS cancelled
FROM {{ ref('fact_sales') }}
WHERE quantity < 0
ORDER BY n
