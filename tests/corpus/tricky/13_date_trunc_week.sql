-- name: date_trunc_week
-- expect: portable; weeks start on Monday (BigQuery WEEK would start on Sunday)
SELECT date_trunc('week', order_date) AS week, COUNT(DISTINCT order_id) AS orders
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
