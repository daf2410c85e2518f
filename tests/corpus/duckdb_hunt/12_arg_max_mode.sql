-- name: arg_max_mode
-- expect: portable
SELECT c.country,
  arg_max(c.customer_name, c.signup_date) AS newest_customer,
  arg_min(c.customer_name, c.signup_date) AS oldest_customer,
  COUNT(*) AS customers,
  any_value(c.country) AS same_country
FROM {{ ref('dim_customer') }} c
GROUP BY c.country
ORDER BY c.country
