-- name: week_numbers
-- expect: portable; ISO week numbers (BigQuery EXTRACT(WEEK) counts Sunday weeks from 0, Snowflake follows WEEK_START)
SELECT EXTRACT(YEAR FROM order_date) AS y, week(order_date) AS iso_week, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
