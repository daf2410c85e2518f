-- name: revenue_rollup
-- description: Revenue by channel and payment type with subtotals (GROUP BY ROLLUP, GROUPING).
-- expect: portable
SELECT
  f.channel,
  p.payment_type,
  GROUPING(p.payment_type) AS is_subtotal,
  SUM(f.amount) AS revenue,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }} AS f
LEFT JOIN {{ ref('dim_payment') }} AS p ON p.payment_method = f.payment_method
GROUP BY ROLLUP (f.channel, p.payment_type)
ORDER BY f.channel, p.payment_type
