-- name: list_agg
-- expect: unportable on snowflake; a LIST column comes back from Snowflake as JSON text
SELECT payment_type, list(payment_method ORDER BY payment_method) AS methods,
  array_agg(provider ORDER BY provider) AS providers
FROM {{ ref('dim_payment') }}
GROUP BY payment_type
ORDER BY payment_type
