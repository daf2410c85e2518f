-- name: decimal_casts_and_rounding
-- expect: portable
SELECT channel,
  SUM(amount)::DECIMAL(12, 2) AS revenue,
  round(AVG(amount), 2) AS avg_amount_decimal,
  round(AVG(discount_pct) * 100, 2) AS avg_discount_pct,
  round(SUM(unit_price * quantity * (1 - discount_pct)), 2) AS net_double,
  round(SUM(amount) / COUNT(DISTINCT order_id), 2) AS aov
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
