-- name: revenue_by_country
-- description: Net revenue, orders and customers per customer country.
-- grain: country
-- owner: analytics
-- tags: [revenue, customer, geography]
SELECT
  c.country,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders,
  COUNT(DISTINCT f.customer_id) AS customers
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
WHERE f.status <> 'Cancelled'
GROUP BY c.country
ORDER BY revenue DESC, c.country
