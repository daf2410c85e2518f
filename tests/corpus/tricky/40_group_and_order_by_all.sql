-- name: group_and_order_by_all
-- expect: portable; DuckDB GROUP BY ALL / ORDER BY ALL spelled out as positions (BigQuery rejects the keywords)
SELECT f.channel, f.payment_method, COUNT(*) AS lines, SUM(f.quantity) AS units
FROM {{ ref('fact_sales') }} f
WHERE f.status = 'Cancelled'
GROUP BY ALL
ORDER BY ALL DESC
