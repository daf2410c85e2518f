-- name: rollup_category
-- description: Revenue per category and subcategory with subtotals and a grand total (ROLLUP, GROUPING).
SELECT
  p.category,
  p.subcategory,
  GROUPING(p.category, p.subcategory) AS level,
  SUM(f.amount) AS revenue
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
GROUP BY ROLLUP (p.category, p.subcategory)
ORDER BY p.category NULLS LAST, p.subcategory NULLS LAST
