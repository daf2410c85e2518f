-- Revenue per customer country (join, aggregate, NULL-safe ordering).
SELECT
  c.country,
  SUM(s.amount) AS revenue,
  COUNT(DISTINCT s.order_id) AS orders
FROM {{ ref('fact_sales') }} AS s
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = s.customer_id
WHERE s.status <> 'Cancelled'
GROUP BY c.country
ORDER BY revenue DESC, c.country
