-- cancellations_by_customer_country: compiled by fedkit for redshift from cancellations_by_customer_country.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  c.customer_id,
  c.country,
  COUNT(DISTINCT f.order_id) AS cancelled_orders,
  SUM(f.amount) AS cancelled_amount
FROM gold_spectrum.fact_sales AS f
JOIN gold_spectrum.dim_customer AS c
  ON c.customer_id = f.customer_id
WHERE
  f.status = 'Cancelled'
GROUP BY
  c.customer_id,
  c.country
ORDER BY
  cancelled_amount DESC NULLS LAST,
  c.customer_id NULLS LAST
