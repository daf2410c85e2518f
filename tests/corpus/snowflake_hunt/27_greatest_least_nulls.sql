-- name: greatest_least_nulls
-- description: Latest activity date per customer country from signup and order dates (GREATEST/LEAST with NULL).
SELECT
  c.country,
  MAX(GREATEST(c.signup_date, f.order_date)) AS latest_activity,
  MIN(LEAST(c.signup_date, f.order_date)) AS earliest_activity,
  COUNT(GREATEST(c.birth_year, IFF(c.gender = 'F', 1990, NULL))) AS greatest_non_null,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
GROUP BY c.country
ORDER BY c.country
