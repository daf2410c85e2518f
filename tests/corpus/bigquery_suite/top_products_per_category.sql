-- name: top_products_per_category
-- description: The three products with the most net revenue in each category (ties broken by product id).
-- grain: category, rank
-- owner: analytics
-- tags: [revenue, product, ranking]
WITH product_revenue AS (
  SELECT
    p.category,
    p.product_id,
    p.product_name,
    SUM(f.amount) AS revenue
  FROM {{ ref('fact_sales') }} AS f
  JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
  WHERE f.status <> 'Cancelled'
  GROUP BY p.category, p.product_id, p.product_name
)
SELECT
  category,
  ROW_NUMBER() OVER (PARTITION BY category ORDER BY revenue DESC, product_id) AS rank_in_category,
  product_id,
  product_name,
  revenue
FROM product_revenue
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY category ORDER BY revenue DESC, product_id) <= 3
ORDER BY category, rank_in_category
