-- name: cancellations_by_customer_country
-- description: Cancelled orders and amount per customer with their country (customers with at least one cancellation).
-- grain: customer
-- owner: analytics
-- tags: [cancellations, customer, geography]
SELECT
  c.customer_id,
  c.country,
  COUNT(DISTINCT f.order_id) AS cancelled_orders,
  SUM(f.amount) AS cancelled_amount
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
WHERE f.status = 'Cancelled'
GROUP BY c.customer_id, c.country
ORDER BY cancelled_amount DESC, c.customer_id
