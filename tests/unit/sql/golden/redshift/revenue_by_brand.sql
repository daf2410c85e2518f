-- revenue_by_brand: compiled by fedkit for redshift from revenue_by_brand.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  p.brand,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders
FROM gold_spectrum.fact_sales AS f
JOIN gold_spectrum.dim_product AS p
  ON p.product_id = f.product_id
WHERE
  f.status <> 'Cancelled'
GROUP BY
  p.brand
ORDER BY
  revenue DESC NULLS LAST,
  p.brand NULLS LAST
