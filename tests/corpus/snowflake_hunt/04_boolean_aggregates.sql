-- name: boolean_aggregates
-- description: Per channel and month: any cancellation, every line discounted, lines with a discount.
SELECT
  channel,
  DATE_TRUNC('month', order_date) AS month,
  BOOLOR_AGG(status = 'Cancelled') AS any_cancelled,
  BOOLAND_AGG(discount_pct > 0) AS all_discounted,
  COUNT_IF(discount_pct > 0) AS discounted_lines,
  COUNT(DISTINCT customer_id, payment_method) AS customer_methods
FROM {{ ref('fact_sales') }}
WHERE order_date >= '2024-10-01'
GROUP BY ALL
ORDER BY channel, month
