-- top_products_per_category: compiled by fedkit for redshift from top_products_per_category.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH product_revenue AS (
  SELECT
    p.category,
    p.product_id,
    p.product_name,
    SUM(f.amount) AS revenue
  FROM gold_spectrum.fact_sales AS f
  JOIN gold_spectrum.dim_product AS p
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
  ROW_NUMBER() OVER (
    PARTITION BY category
    ORDER BY revenue DESC NULLS LAST, product_id NULLS LAST
  ) AS rank_in_category,
  product_id,
  product_name,
  revenue
FROM product_revenue
QUALIFY
  ROW_NUMBER() OVER (
    PARTITION BY category
    ORDER BY revenue DESC NULLS LAST, product_id NULLS LAST
  ) <= 3
ORDER BY
  category NULLS LAST,
  rank_in_category NULLS LAST
