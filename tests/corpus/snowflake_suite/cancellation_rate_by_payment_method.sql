-- name: cancellation_rate_by_payment_method
-- description: Share of order lines cancelled per payment method; lines without a payment method are the NULL group, listed last.
-- grain: payment_method
-- owner: analytics
-- tags: [cancellations, payments]
SELECT
  payment_method,
  COUNT(*) AS lines,
  COUNT_IF(status = 'Cancelled') AS cancelled_lines,
  COUNT_IF(status = 'Cancelled') / COUNT(*) AS cancellation_rate
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method
