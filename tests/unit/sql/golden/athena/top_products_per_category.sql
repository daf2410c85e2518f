-- top_products_per_category: compiled by fedkit for athena from top_products_per_category.sql; do not edit
-- rule qualify: QUALIFY filters in a subquery, then the ORDER BY and LIMIT apply (Trino has no QUALIFY)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH product_revenue AS (
  SELECT
    p.category,
    p.product_id,
    p.product_name,
    SUM(f.amount) AS revenue
  FROM gold_lake.fact_sales AS f
  JOIN gold_lake.dim_product AS p
    ON p.product_id = f.product_id
  WHERE
    f.status <> 'Cancelled'
  GROUP BY
    p.category,
    p.product_id,
    p.product_name
)
SELECT
  category,
  rank_in_category,
  product_id,
  product_name,
  revenue
FROM (
  SELECT
    category,
    ROW_NUMBER() OVER (
      PARTITION BY category
      ORDER BY revenue DESC NULLS LAST, product_id NULLS LAST
    ) AS rank_in_category,
    product_id,
    product_name,
    revenue
  FROM product_revenue
) AS _fedkit_t
WHERE
  rank_in_category <= 3
ORDER BY
  category NULLS LAST,
  rank_in_category NULLS LAST
