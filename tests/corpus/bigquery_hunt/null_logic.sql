-- name: null_logic
-- description: Three-valued logic over a nullable column (IS DISTINCT FROM, NOT IN with NULL, COALESCE chains, NULLIF, IFNULL in predicates).
-- expect: portable
SELECT
  channel,
  COUNTIF(payment_method IS DISTINCT FROM 'visa') AS not_visa,
  COUNTIF(payment_method IS NOT DISTINCT FROM NULL) AS unknown_method,
  COUNTIF(payment_method NOT IN ('visa', 'mastercard')) AS other_known,
  COUNTIF(NOT (payment_method = 'visa')) AS not_visa_known,
  COUNT(NULLIF(payment_method, 'paypal')) AS non_paypal,
  COUNTIF(COALESCE(payment_method, status, 'x') = 'Delivered') AS delivered_fallback,
  COUNTIF(IFNULL(payment_method LIKE '%pay%', FALSE)) AS wallets
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
