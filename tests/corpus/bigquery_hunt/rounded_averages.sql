-- name: rounded_averages
-- description: Average line amount and discount, rounded (ROUND on NUMERIC and FLOAT64, negative digits, AVG of NUMERIC).
-- expect: portable
SELECT
  channel,
  ROUND(AVG(amount), 2) AS avg_amount,
  AVG(amount) AS avg_amount_exact,
  ROUND(AVG(discount_pct), 3) AS avg_discount,
  ROUND(SUM(amount), -2) AS revenue_hundreds,
  ROUND(SUM(amount) / COUNT(DISTINCT order_id), 2) AS order_value,
  ROUND(AVG(quantity), 4) AS avg_quantity,
  ROUND(SUM(unit_price * quantity * (1 - discount_pct)), 2) AS computed_revenue
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
