-- name: days_to_first_order
-- expect: portable
WITH first_orders AS (
  SELECT customer_id, MIN(order_date) AS first_order
  FROM {{ ref('fact_sales') }}
  GROUP BY customer_id
)
SELECT c.country,
  AVG(date_diff('day', c.signup_date, f.first_order)) AS avg_days_to_first_order,
  MAX(date_diff('month', c.signup_date, f.first_order)) AS max_months,
  COUNT(*) AS customers
FROM first_orders f
JOIN {{ ref('dim_customer') }} c ON c.customer_id = f.customer_id
GROUP BY c.country
ORDER BY c.country
