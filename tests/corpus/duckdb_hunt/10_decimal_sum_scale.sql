-- name: decimal_sum_scale
-- expect: portable
SELECT p.category,
  SUM(f.amount) AS revenue,
  SUM(f.unit_price * f.quantity) AS gross,
  SUM(f.unit_price * f.quantity) - SUM(f.amount) AS discount_given,
  SUM(f.amount) / SUM(f.quantity) AS revenue_per_unit
FROM {{ ref('fact_sales') }} f
JOIN {{ ref('dim_product') }} p ON p.product_id = f.product_id
GROUP BY p.category
ORDER BY p.category
