-- name: days_to_first_order
-- description: Days, weeks and months from signup to first order per signup year (DATEDIFF counts boundaries).
WITH first_orders AS (
  SELECT customer_id, MIN(order_date) AS first_order
  FROM {{ ref('fact_sales') }}
  GROUP BY customer_id
)
SELECT
  YEAR(c.signup_date) AS signup_year,
  COUNT(*) AS customers,
  SUM(DATEDIFF(day, c.signup_date, f.first_order)) AS total_days,
  SUM(f.first_order - c.signup_date) AS total_days_by_subtraction,
  SUM(DATEDIFF('week', c.signup_date, f.first_order)) AS total_weeks,
  SUM(DATEDIFF(month, c.signup_date, f.first_order)) AS total_months,
  SUM(DATEDIFF(year, c.signup_date, f.first_order)) AS total_years
FROM {{ ref('dim_customer') }} AS c
JOIN first_orders AS f ON f.customer_id = c.customer_id
GROUP BY 1
ORDER BY 1
