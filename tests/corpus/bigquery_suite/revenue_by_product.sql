-- name: revenue_by_product
-- description: Net revenue (cancelled lines excluded) and units per product.
-- grain: product
-- owner: analytics
-- tags: [revenue, product]
SELECT
  p.product_id,
  p.product_name,
  SUM(f.amount) AS revenue,
  SUM(f.quantity) AS units
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
WHERE f.status <> 'Cancelled'
GROUP BY p.product_id, p.product_name
ORDER BY revenue DESC, p.product_id
