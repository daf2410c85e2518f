-- name: null_group_order_asc
-- expect: portable; the NULL payment method group sorts LAST (DuckDB ASC), BigQuery would put it first
SELECT payment_method, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method
