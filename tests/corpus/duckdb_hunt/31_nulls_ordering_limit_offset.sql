-- name: nulls_ordering_limit_offset
-- expect: portable
SELECT payment_method, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method
LIMIT 4 OFFSET 2
