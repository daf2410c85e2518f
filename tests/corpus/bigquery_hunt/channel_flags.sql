-- name: channel_flags
-- description: Per channel: cancelled lines (COUNTIF), whether any line was discounted (LOGICAL_OR) and whether all had a payment method (LOGICAL_AND).
-- expect: portable
SELECT
  channel,
  COUNTIF(status = 'Cancelled') AS cancelled,
  COUNTIF(payment_method IS NULL) AS unpaid,
  LOGICAL_OR(discount_pct >= 0.3) AS any_big_discount,
  LOGICAL_AND(payment_method IS NOT NULL) AS all_paid,
  LOGICAL_AND(quantity > 0) AS all_positive
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
