-- name: payment_null_handling
-- description: Revenue per payment method with NVL/NVL2 for missing methods, ZEROIFNULL and NULLIFZERO.
SELECT
  NVL(payment_method, 'unknown') AS method,
  NVL2(payment_method, 'recorded', 'missing') AS method_state,
  ZEROIFNULL(SUM(IFF(status = 'Returned', amount, NULL))) AS returned_revenue,
  NULLIFZERO(COUNT_IF(status = 'Placed')) AS placed_lines,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY method
