-- name: revenue_by_category
-- description: Net revenue, orders and units per product category.
-- grain: category
-- owner: analytics
-- tags: [revenue, product]
SELECT
  p.category,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders,
  SUM(f.quantity) AS units
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
WHERE f.status <> 'Cancelled'
GROUP BY p.category
ORDER BY revenue DESC, p.category
