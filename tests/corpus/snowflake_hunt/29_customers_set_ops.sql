-- name: customers_set_ops
-- description: Customers who ordered on the web but never by app (MINUS), outside Japan (IN subquery), in regions
--   whose name is not 'New ...' (correlated EXISTS).
WITH web_only AS (
  SELECT customer_id FROM {{ ref('fact_sales') }} WHERE channel = 'web'
  MINUS
  SELECT customer_id FROM {{ ref('fact_sales') }} WHERE channel = 'app'
)
SELECT
  c.country,
  COUNT(*) AS customers,
  COUNT(w.customer_id) AS web_only_customers
FROM {{ ref('dim_customer') }} AS c
LEFT JOIN web_only AS w ON w.customer_id = c.customer_id
WHERE c.region_id IN (SELECT region_id FROM {{ ref('dim_region') }} WHERE country <> 'JP')
  AND EXISTS (SELECT 1 FROM {{ ref('dim_region') }} AS r
              WHERE r.region_id = c.region_id AND r.region NOT ILIKE 'new %')
GROUP BY c.country
ORDER BY c.country
