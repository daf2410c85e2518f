-- name: weekly_revenue_monday
-- description: Revenue per Monday-start week, ISO week and quarter (DATE_TRUNC with WEEK(MONDAY), ISOWEEK, QUARTER, ISOYEAR).
-- expect: portable
SELECT
  DATE_TRUNC(order_date, WEEK(MONDAY)) AS week_start,
  DATE_TRUNC(order_date, ISOWEEK) AS iso_week_start,
  DATE_TRUNC(order_date, QUARTER) AS quarter_start,
  DATE_TRUNC(order_date, YEAR) AS year_start,
  DATE_TRUNC(order_date, ISOYEAR) AS iso_year_start,
  SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1
