-- name: date_trunc_month
-- expect: portable; truncating a DATE gives a DATE (sqlglot alone writes BigQuery TIMESTAMP_TRUNC)
SELECT date_trunc('month', order_date) AS month, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
