-- name: fingerprint_sample
-- description: A stable 10 % customer sample by hashing the id (MOD of FARM_FINGERPRINT), the usual BigQuery sampling idiom.
-- expect: unportable on duckdb, snowflake, athena, redshift
SELECT COUNT(DISTINCT customer_id) AS sampled_customers
FROM {{ ref('fact_sales') }}
WHERE MOD(ABS(FARM_FINGERPRINT(CAST(customer_id AS STRING))), 10) = 0
