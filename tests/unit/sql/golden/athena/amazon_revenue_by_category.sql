-- amazon_revenue_by_category: compiled by fedkit for athena from amazon_revenue_by_category.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  Category AS category,
  SUM(Amount) AS revenue,
  COUNT(DISTINCT Order_ID) AS orders,
  SUM(Qty) AS units
FROM gold_lake.amazon_sales_gold
WHERE
  Status <> 'Cancelled'
GROUP BY
  Category
ORDER BY
  revenue DESC NULLS LAST,
  category NULLS LAST
