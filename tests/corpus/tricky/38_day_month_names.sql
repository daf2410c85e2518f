-- name: day_month_names
-- expect: portable; DuckDB dayname/monthname are full English names; Snowflake abbreviates, BigQuery has neither
SELECT dayname(order_date) AS day_name, monthname(order_date) AS month_name, monthname(order_ts) AS ts_month,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
