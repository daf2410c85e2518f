-- revenue_by_country: compiled by fedkit for redshift from revenue_by_country.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  c.country,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders,
  COUNT(DISTINCT f.customer_id) AS customers
FROM gold_spectrum.fact_sales AS f
JOIN gold_spectrum.dim_customer AS c
  ON c.customer_id = f.customer_id
WHERE
  f.status <> 'Cancelled'
GROUP BY
  c.country
ORDER BY
  revenue DESC NULLS LAST,
  c.country NULLS LAST
