-- name: day_of_week
-- expect: portable; Sunday = 0 numbering (BigQuery counts from 1, Snowflake follows WEEK_START)
SELECT dayofweek(order_date) AS weekday, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
