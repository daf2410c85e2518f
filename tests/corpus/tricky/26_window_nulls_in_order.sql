-- name: window_nulls_in_order
-- expect: portable; NULL keys in a window ORDER BY stay last (sqlglot alone drops NULLS LAST for BigQuery)
SELECT payment_method, lines, SUM(lines) OVER (ORDER BY payment_method) AS cumulative
FROM (SELECT payment_method, COUNT(*) AS lines FROM {{ ref('fact_sales') }} GROUP BY payment_method) AS t
ORDER BY payment_method
