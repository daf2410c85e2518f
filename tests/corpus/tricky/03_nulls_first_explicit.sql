-- name: nulls_first_explicit
-- expect: portable; an explicit NULLS FIRST survives on every engine
SELECT payment_method, SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method NULLS FIRST
