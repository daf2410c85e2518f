-- name: greatest_least
-- expect: portable
SELECT sale_id, greatest(unit_price, amount) AS hi, least(discount_pct, 0.1) AS capped,
  greatest(payment_method, 'm') AS g_text, least(order_date, DATE '2022-01-05') AS first_day
FROM {{ ref('fact_sales') }}
WHERE sale_id <= 400 AND (payment_method IS NULL OR sale_id <= 5)
ORDER BY sale_id
