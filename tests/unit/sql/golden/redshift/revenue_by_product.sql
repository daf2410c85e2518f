-- revenue_by_product: compiled by fedkit for redshift from revenue_by_product.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  p.product_id,
  p.product_name,
  SUM(f.amount) AS revenue,
  SUM(f.quantity) AS units
FROM gold_spectrum.fact_sales AS f
JOIN gold_spectrum.dim_product AS p
  ON p.product_id = f.product_id
WHERE
  f.status <> 'Cancelled'
GROUP BY
  p.product_id,
  p.product_name
ORDER BY
  revenue DESC NULLS LAST,
  p.product_id NULLS LAST
