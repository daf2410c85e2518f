-- name: semi_anti_joins
-- expect: portable
SELECT
  (SELECT COUNT(*) FROM {{ ref('dim_customer') }} c
   WHERE EXISTS (SELECT 1 FROM {{ ref('fact_sales') }} f WHERE f.customer_id = c.customer_id)) AS buyers,
  (SELECT COUNT(*) FROM {{ ref('dim_customer') }} c
   WHERE NOT EXISTS (SELECT 1 FROM {{ ref('fact_sales') }} f WHERE f.customer_id = c.customer_id)) AS never_bought,
  (SELECT COUNT(*) FROM {{ ref('dim_payment') }} p
   WHERE p.payment_method NOT IN (SELECT payment_method FROM {{ ref('fact_sales') }})) AS unused_methods_not_in,
  (SELECT COUNT(*) FROM {{ ref('dim_payment') }} p
   WHERE p.payment_method NOT IN (SELECT payment_method FROM {{ ref('fact_sales') }} WHERE payment_method IS NOT NULL))
    AS unused_methods
