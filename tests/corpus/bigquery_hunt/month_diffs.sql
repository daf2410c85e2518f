-- name: month_diffs
-- description: Months and years between signup and order (DATE_DIFF MONTH/YEAR/QUARTER/WEEK count boundaries), customer tenure.
-- expect: portable
SELECT
  DATE_DIFF(f.order_date, c.signup_date, MONTH) AS months_since_signup,
  DATE_DIFF(f.order_date, c.signup_date, YEAR) AS years_since_signup,
  DATE_DIFF(f.order_date, c.signup_date, QUARTER) AS quarters,
  MIN(DATE_DIFF(f.order_date, c.signup_date, WEEK)) AS weeks_min,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
