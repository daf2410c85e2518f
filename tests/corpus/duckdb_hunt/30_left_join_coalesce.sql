-- name: left_join_coalesce
-- expect: portable
SELECT p.payment_type, COALESCE(f.channel, 'none') AS channel, COUNT(f.sale_id) AS lines,
  COALESCE(SUM(f.amount), 0) AS revenue
FROM {{ ref('dim_payment') }} p
LEFT JOIN {{ ref('fact_sales') }} f ON f.payment_method = p.payment_method AND f.quantity >= 5
GROUP BY 1, 2
ORDER BY 1, 2
