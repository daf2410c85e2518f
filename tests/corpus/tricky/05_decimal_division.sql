-- name: decimal_division
-- expect: portable; DECIMAL / INT is a DOUBLE (BigQuery NUMERIC would keep 9 decimals)
SELECT status, SUM(amount) / COUNT(DISTINCT order_id) AS per_order
FROM {{ ref('fact_sales') }}
GROUP BY status
ORDER BY status
