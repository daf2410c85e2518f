-- name: repeat_customer_rate
-- description: Customers with more than one (non-cancelled) order, as a share of all ordering customers.
-- grain: total
-- owner: analytics
-- tags: [customer, retention]
WITH per_customer AS (
  SELECT
    customer_id,
    COUNT(DISTINCT order_id) AS orders
  FROM {{ ref('fact_sales') }}
  WHERE status <> 'Cancelled'
  GROUP BY customer_id
)
SELECT
  COUNT(*) AS customers,
  COUNTIF(orders > 1) AS repeat_customers,
  SAFE_DIVIDE(COUNTIF(orders > 1), COUNT(*)) AS repeat_customer_rate
FROM per_customer
ORDER BY customers
