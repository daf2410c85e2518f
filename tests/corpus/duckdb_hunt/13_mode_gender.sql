-- name: mode_gender
-- expect: unportable on bigquery, snowflake, athena, redshift; mode() breaks ties its own way (BigQuery has none)
SELECT country, mode(gender) AS most_common_gender, COUNT(*) AS customers
FROM {{ ref('dim_customer') }}
GROUP BY country
ORDER BY country
