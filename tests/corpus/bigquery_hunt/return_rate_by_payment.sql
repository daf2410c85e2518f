-- name: return_rate_by_payment
-- description: Share of revenue returned per payment method, unknown methods labelled (SAFE_DIVIDE, IF, IFNULL, NULLIF).
-- expect: portable
SELECT
  IFNULL(payment_method, 'unknown') AS payment_method,
  SUM(IF(status = 'Returned', amount, 0)) AS returned,
  SAFE_DIVIDE(SUM(IF(status = 'Returned', amount, 0)), SUM(amount)) AS returned_share,
  ROUND(100 * SAFE_DIVIDE(COUNTIF(status = 'Returned'), COUNT(*)), 2) AS returned_line_pct,
  SUM(amount) / NULLIF(COUNTIF(status = 'Placed'), 0) AS revenue_per_placed
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
