-- name: day_month_names
-- description: Lines per weekday name and month name (Snowflake's three-letter abbreviations).
SELECT
  DAYNAME(order_date) AS day_name,
  MONTHNAME(order_date) AS month_name,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE YEAR(order_date) = 2023
GROUP BY ALL
ORDER BY month_name, day_name
