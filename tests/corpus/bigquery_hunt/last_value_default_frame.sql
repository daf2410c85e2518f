-- name: last_value_default_frame
-- description: Running last status and cumulative revenue with the default frame (RANGE with peers: ties share a value) and a RANGE interval frame.
-- expect: portable
SELECT
  order_date,
  sale_id,
  LAST_VALUE(status) OVER (PARTITION BY customer_id ORDER BY order_date) AS status_so_far,
  SUM(amount) OVER (PARTITION BY customer_id ORDER BY order_date) AS revenue_to_date,
  COUNT(*) OVER (PARTITION BY customer_id ORDER BY UNIX_DATE(order_date) RANGE BETWEEN 30 PRECEDING AND CURRENT ROW) AS lines_30d,
  CUME_DIST() OVER (PARTITION BY customer_id ORDER BY order_date) AS cume
FROM {{ ref('fact_sales') }}
WHERE customer_id <= 40
ORDER BY customer_id, order_date, sale_id
