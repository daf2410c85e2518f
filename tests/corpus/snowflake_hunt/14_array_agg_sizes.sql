-- name: array_agg_sizes
-- description: Distinct products and brands bought per customer country, counted through ARRAY_AGG.
SELECT
  c.country,
  ARRAY_SIZE(ARRAY_AGG(DISTINCT f.product_id)) AS distinct_products,
  ARRAY_SIZE(ARRAY_AGG(DISTINCT p.brand)) AS distinct_brands,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
GROUP BY c.country
ORDER BY c.country
