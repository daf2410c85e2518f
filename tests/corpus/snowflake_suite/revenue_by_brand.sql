-- name: revenue_by_brand
-- description: Net revenue and orders per brand.
-- grain: brand
-- owner: analytics
-- tags: [revenue, product]
SELECT
  p.brand,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
WHERE f.status <> 'Cancelled'
GROUP BY p.brand
ORDER BY revenue DESC, p.brand
