-- revenue_by_category: compiled by fedkit for redshift from revenue_by_category.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  p.category,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders,
  SUM(f.quantity) AS units
FROM gold_spectrum.fact_sales AS f
JOIN gold_spectrum.dim_product AS p
  ON p.product_id = f.product_id
WHERE
  f.status <> 'Cancelled'
GROUP BY
  p.category
ORDER BY
  revenue DESC NULLS LAST,
  p.category NULLS LAST
