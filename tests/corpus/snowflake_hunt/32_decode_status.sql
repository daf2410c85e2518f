-- name: decode_status
-- description: Lines per status group with DECODE (NULL matches NULL) and EQUAL_NULL.
SELECT
  DECODE(status, 'Cancelled', 'lost', 'Returned', 'lost', 'kept') AS outcome,
  DECODE(payment_method, NULL, 'no method', 'visa', 'card', 'mastercard', 'card', 'other') AS method_group,
  COUNT_IF(EQUAL_NULL(payment_method, NULL)) AS missing_methods,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
