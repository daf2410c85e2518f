-- name: timestamp_labels
-- expect: portable
SELECT CAST(date_trunc('hour', order_ts) AS VARCHAR) AS hour_label,
  MIN(CAST(order_ts AS VARCHAR)) AS first_instant_text,
  MIN(CAST(date_trunc('month', order_date) AS VARCHAR)) AS month_text,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date = DATE '2024-03-05'
GROUP BY 1
ORDER BY 1
