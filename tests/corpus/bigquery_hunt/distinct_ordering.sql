-- name: distinct_ordering
-- description: Distinct channel and payment pairs ordered by an aggregate not selected (SELECT DISTINCT, ORDER BY SUM(...) DESC, LIMIT).
-- expect: portable
SELECT channel, IFNULL(payment_method, '(none)') AS method
FROM {{ ref('fact_sales') }}
GROUP BY channel, method
ORDER BY SUM(amount) DESC, channel, method
LIMIT 12
