-- name: count_if_unknown_condition
-- expect: portable; DuckDB COUNT_IF is NULL for a group whose conditions are all NULL (the NULL payment method)
SELECT payment_method,
  COUNT_IF(payment_method LIKE 'C%') AS c_methods,
  COUNT_IF(status = 'Cancelled') AS cancelled
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method
