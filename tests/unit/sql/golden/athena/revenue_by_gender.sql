-- revenue_by_gender: compiled by fedkit for athena from revenue_by_gender.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  c.gender,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.customer_id) AS customers
FROM gold_lake.fact_sales AS f
JOIN gold_lake.dim_customer AS c
  ON c.customer_id = f.customer_id
WHERE
  f.status <> 'Cancelled'
GROUP BY
  c.gender
ORDER BY
  c.gender NULLS LAST
