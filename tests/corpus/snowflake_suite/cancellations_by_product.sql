-- name: cancellations_by_product
-- description: Cancelled order lines and cancelled amount per product.
-- grain: product
-- owner: analytics
-- tags: [cancellations, product]
SELECT
  p.product_id,
  p.product_name,
  COUNT(*) AS cancelled_lines,
  SUM(f.amount) AS cancelled_amount
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
WHERE f.status = 'Cancelled'
GROUP BY p.product_id, p.product_name
ORDER BY cancelled_lines DESC, cancelled_amount DESC, p.product_id
