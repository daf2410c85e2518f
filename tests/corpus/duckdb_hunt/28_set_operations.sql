-- name: set_operations
-- expect: portable
SELECT customer_id FROM {{ ref('fact_sales') }} WHERE channel = 'web'
INTERSECT
SELECT customer_id FROM {{ ref('fact_sales') }} WHERE channel = 'app'
EXCEPT
SELECT customer_id FROM {{ ref('dim_customer') }} WHERE country = 'US'
UNION
SELECT customer_id FROM {{ ref('dim_customer') }} WHERE customer_id <= 3
ORDER BY customer_id
