-- name: calendar_parts
-- description: Lines per calendar part (EXTRACT YEAR, QUARTER, MONTH, DAYOFYEAR, DAYOFWEEK, ISOYEAR, WEEK, HOUR).
-- expect: portable
SELECT
  EXTRACT(YEAR FROM order_date) AS year,
  EXTRACT(QUARTER FROM order_date) AS quarter,
  EXTRACT(DAYOFWEEK FROM order_date) AS weekday,
  EXTRACT(ISOYEAR FROM order_date) AS iso_year,
  MIN(EXTRACT(DAYOFYEAR FROM order_date)) AS first_day_of_year,
  MAX(EXTRACT(WEEK FROM order_date)) AS last_week,
  MAX(EXTRACT(ISOWEEK FROM order_date)) AS last_iso_week,
  AVG(EXTRACT(HOUR FROM order_ts)) AS avg_hour,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4
