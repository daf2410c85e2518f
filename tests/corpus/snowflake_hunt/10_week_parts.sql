-- name: week_parts
-- description: Weekday and week numbers of every order date around the turn of the year (ISO and default policy).
SELECT DISTINCT
  order_date,
  DAYOFWEEK(order_date) AS dow,
  DAYOFWEEKISO(order_date) AS dow_iso,
  EXTRACT(dayofweekiso FROM order_date) AS dow_iso_part,
  DATE_PART(weekday, order_date) AS weekday_part,
  WEEK(order_date) AS week_no,
  WEEKISO(order_date) AS week_iso,
  YEAROFWEEK(order_date) AS year_of_week,
  YEAROFWEEKISO(order_date) AS year_of_week_iso,
  DAYOFYEAR(order_date) AS day_of_year
FROM {{ ref('fact_sales') }}
WHERE MONTH(order_date) IN (1, 12) AND DAY(order_date) IN (1, 2, 3, 29, 30, 31)
ORDER BY order_date
