-- name: decimal_literals_and_integer_division
-- expect: portable; 0.2 - 0.05 is exactly 0.15 (BigQuery NUMERIC, not FLOAT64), a // b truncates toward zero, x * 1.0 / n is DOUBLE
SELECT
  channel,
  COUNT(*) AS lines,
  SUM(CASE WHEN discount_pct >= 0.2 - 0.05 THEN 1 ELSE 0 END) AS fifteen_percent_or_more,
  SUM((quantity - 3) // 2) AS half_units,
  SUM(amount * 0.1) AS tenth,
  SUM(quantity) * 1.0 / COUNT(*) AS mean_units
FROM {{ ref('fact_sales') }}
WHERE discount_pct <= 0.1 + 0.05
GROUP BY channel
ORDER BY channel
