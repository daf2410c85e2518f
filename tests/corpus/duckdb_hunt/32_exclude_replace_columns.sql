-- name: exclude_replace_columns
-- expect: portable
SELECT * EXCLUDE (customer_name, signup_date) REPLACE (upper(gender) AS gender)
FROM {{ ref('dim_customer') }}
WHERE customer_id <= 5
ORDER BY customer_id
