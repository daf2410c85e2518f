-- name: day_arithmetic_ratios
-- description: Weeks until year end and days since signup as ratios (DATE_DIFF / 7 is FLOAT64, DATE_ADD with a negative interval, CAST(date AS TIMESTAMP), DATETIME of a DATE).
-- expect: portable
SELECT
  f.sale_id,
  DATE_DIFF(DATE '2024-12-31', f.order_date, DAY) / 7 AS weeks_to_year_end,
  DATE_ADD(f.order_date, INTERVAL -1 DAY) AS day_before,
  CAST(f.order_date AS TIMESTAMP) AS midnight_utc,
  DATETIME(f.order_date) AS wall_midnight,
  ABS(DATE_DIFF(c.signup_date, f.order_date, DAY)) AS days_apart,
  CAST(f.order_ts AS DATE) AS order_day
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
WHERE f.order_date BETWEEN DATE '2024-09-01' AND DATE '2024-09-15'
ORDER BY f.sale_id
