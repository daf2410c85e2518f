-- name: window_defaults_and_distinct
-- description: Per customer: previous amount with a default (LAG with offset and default), distinct channels (COUNT DISTINCT OVER), dense rank of days.
-- expect: portable
SELECT
  customer_id,
  sale_id,
  LAG(amount, 2, 0) OVER (PARTITION BY customer_id ORDER BY order_ts, sale_id) AS two_back,
  LEAD(status, 1, 'none') OVER (PARTITION BY customer_id ORDER BY order_ts, sale_id) AS next_status,
  COUNT(DISTINCT channel) OVER (PARTITION BY customer_id) AS channels_used,
  DENSE_RANK() OVER (PARTITION BY customer_id ORDER BY order_date) AS day_rank,
  SUM(quantity) OVER (PARTITION BY customer_id ORDER BY order_date RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS units_to_date
FROM {{ ref('fact_sales') }}
WHERE customer_id <= 30
ORDER BY customer_id, sale_id
