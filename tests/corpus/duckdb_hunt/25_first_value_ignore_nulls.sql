-- name: first_value_ignore_nulls
-- expect: portable
SELECT sale_id, payment_method,
  first_value(payment_method IGNORE NULLS) OVER (PARTITION BY order_id ORDER BY sale_id
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_known_method,
  last_value(payment_method) OVER (PARTITION BY order_id ORDER BY sale_id) AS last_so_far
FROM {{ ref('fact_sales') }}
WHERE sale_id <= 60
ORDER BY sale_id
