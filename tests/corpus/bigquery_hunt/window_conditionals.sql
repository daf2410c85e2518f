-- name: window_conditionals
-- description: Per customer: cancelled lines so far and whether any line was returned (COUNTIF and LOGICAL_OR over windows), repeat buyers by QUALIFY on a COUNT window.
-- expect: portable
SELECT
  customer_id,
  sale_id,
  COUNTIF(status = 'Cancelled') OVER (PARTITION BY customer_id ORDER BY order_ts, sale_id) AS cancelled_so_far,
  LOGICAL_OR(status = 'Returned') OVER (PARTITION BY customer_id) AS ever_returned,
  SUM(amount) OVER (PARTITION BY customer_id ORDER BY order_ts, sale_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    / SUM(amount) OVER (PARTITION BY customer_id) AS share_to_date
FROM {{ ref('fact_sales') }}
WHERE customer_id <= 60
QUALIFY COUNT(*) OVER (PARTITION BY customer_id) > 1
ORDER BY customer_id, sale_id
