-- name: customer_age
-- expect: unportable on bigquery, snowflake, athena, redshift; age() returns an INTERVAL the targets do not have
SELECT country, MAX(extract(year FROM age(DATE '2025-01-01', signup_date))) AS max_tenure_years
FROM {{ ref('dim_customer') }}
GROUP BY country
ORDER BY country
