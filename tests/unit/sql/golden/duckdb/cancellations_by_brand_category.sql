-- cancellations_by_brand_category: compiled by fedkit for duckdb from cancellations_by_brand_category.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  p.brand,
  p.category,
  COUNT(*) AS lines,
  COUNT_IF(f.status = 'Cancelled') AS cancelled_lines,
  SUM(CASE WHEN f.status = 'Cancelled' THEN f.amount ELSE 0 END) AS cancelled_amount,
  COUNT_IF(f.status = 'Cancelled') / COUNT(*) AS cancellation_rate
FROM fact_sales AS f
JOIN dim_product AS p
  ON p.product_id = f.product_id
GROUP BY
  p.brand,
  p.category
ORDER BY
  cancelled_lines DESC NULLS LAST,
  p.brand NULLS LAST,
  p.category NULLS LAST
