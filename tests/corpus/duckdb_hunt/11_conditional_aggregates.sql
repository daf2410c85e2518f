-- name: conditional_aggregates
-- expect: portable
SELECT channel,
  count_if(status = 'Cancelled') AS cancelled,
  COUNT(*) FILTER (WHERE payment_method IS NULL) AS unknown_payment,
  SUM(amount) FILTER (WHERE discount_pct > 0) AS discounted_revenue,
  bool_or(status = 'Returned') AS any_returned,
  bool_and(quantity > 0) AS all_positive
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
