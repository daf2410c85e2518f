-- revenue_by_customer: compiled by fedkit for redshift from revenue_by_customer.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  c.customer_id,
  c.customer_name,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders
FROM gold_spectrum.fact_sales AS f
JOIN gold_spectrum.dim_customer AS c
  ON c.customer_id = f.customer_id
WHERE
  f.status <> 'Cancelled'
GROUP BY
  c.customer_id,
  c.customer_name
ORDER BY
  revenue DESC NULLS LAST,
  c.customer_id NULLS LAST
