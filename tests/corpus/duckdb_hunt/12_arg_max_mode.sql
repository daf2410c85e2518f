-- name: arg_max_mode
-- expect: unportable on redshift; Redshift has no MAX_BY / MIN_BY (arg_max, arg_min)
SELECT c.country,
  arg_max(c.customer_name, c.signup_date) AS newest_customer,
  arg_min(c.customer_name, c.signup_date) AS oldest_customer,
  COUNT(*) AS customers,
  any_value(c.country) AS same_country
FROM {{ ref('dim_customer') }} c
GROUP BY c.country
ORDER BY c.country
