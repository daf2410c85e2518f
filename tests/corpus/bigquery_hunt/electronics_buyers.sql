-- name: electronics_buyers
-- description: Electronics revenue from customers with a known gender (IN and NOT IN subqueries, EXISTS).
-- expect: portable
SELECT
  f.channel,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.customer_id) AS customers
FROM {{ ref('fact_sales') }} AS f
WHERE f.product_id IN (SELECT product_id FROM {{ ref('dim_product') }} WHERE category = 'Electronics')
  AND EXISTS (SELECT 1 FROM {{ ref('dim_customer') }} AS c WHERE c.customer_id = f.customer_id AND c.gender IS NOT NULL)
  AND f.payment_method NOT IN (SELECT payment_method FROM {{ ref('dim_payment') }} WHERE payment_type = 'cash')
GROUP BY f.channel
ORDER BY revenue DESC
