-- name: qualify_top_products
-- expect: portable
SELECT p.category, p.product_name, SUM(f.amount) AS revenue
FROM {{ ref('fact_sales') }} f
JOIN {{ ref('dim_product') }} p USING (product_id)
GROUP BY p.category, p.product_name
QUALIFY row_number() OVER (PARTITION BY p.category ORDER BY SUM(f.amount) DESC, p.product_name) <= 2
ORDER BY p.category, revenue DESC
