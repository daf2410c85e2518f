-- cancellations_by_brand_category: compiled by fedkit for snowflake from cancellations_by_brand_category.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule conditionals: COUNT_IF(c) -> COUNT(CASE WHEN c THEN 1 END)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  p.brand,
  p.category,
  COUNT(*) AS lines,
  COUNT(CASE WHEN f.status = 'Cancelled' THEN 1 END) AS cancelled_lines,
  SUM(CASE WHEN f.status = 'Cancelled' THEN f.amount ELSE 0 END) AS cancelled_amount,
  CAST(COUNT(CASE WHEN f.status = 'Cancelled' THEN 1 END) AS DOUBLE) / COUNT(*) AS cancellation_rate
FROM ANALYTICS.GOLD.FACT_SALES AS f
JOIN ANALYTICS.GOLD.DIM_PRODUCT AS p
  ON p.product_id = f.product_id
GROUP BY
  p.brand,
  p.category
ORDER BY
  cancelled_lines DESC NULLS LAST,
  p.brand NULLS LAST,
  p.category NULLS LAST
