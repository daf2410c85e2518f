-- name: revenue_by_customer
-- description: Net revenue and orders per customer.
-- grain: customer
-- owner: analytics
-- tags: [revenue, customer]
SELECT
  c.customer_id,
  c.customer_name,
  SUM(f.amount)::NUMBER(14, 2) AS revenue,
  COUNT(DISTINCT f.order_id) AS orders
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
WHERE f.status <> 'Cancelled'
GROUP BY c.customer_id, c.customer_name
ORDER BY revenue DESC, c.customer_id
