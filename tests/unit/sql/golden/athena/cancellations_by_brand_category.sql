-- cancellations_by_brand_category: compiled by fedkit for athena from cancellations_by_brand_category.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule count-if: COUNT_IF(c) -> SUM(CASE WHEN c THEN 1 WHEN NOT c THEN 0 END) (NULL over no known c, as DuckDB)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  p.brand,
  p.category,
  COUNT(*) AS lines,
  SUM(
    CASE WHEN f.status = 'Cancelled' THEN 1 WHEN NOT f.status = 'Cancelled' THEN 0 END
  ) AS cancelled_lines,
  SUM(CASE WHEN f.status = 'Cancelled' THEN f.amount ELSE 0 END) AS cancelled_amount,
  CAST(SUM(
    CASE WHEN f.status = 'Cancelled' THEN 1 WHEN NOT f.status = 'Cancelled' THEN 0 END
  ) AS DOUBLE) / COUNT(*) AS cancellation_rate
FROM gold_lake.fact_sales AS f
JOIN gold_lake.dim_product AS p
  ON p.product_id = f.product_id
GROUP BY
  p.brand,
  p.category
ORDER BY
  cancelled_lines DESC NULLS LAST,
  p.brand NULLS LAST,
  p.category NULLS LAST
