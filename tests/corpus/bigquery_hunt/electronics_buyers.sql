-- name: electronics_buyers
-- description: Electronics revenue from customers with a known gender (IN subquery, EXISTS, NOT EXISTS).
-- expect: portable
SELECT
  f.channel,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.customer_id) AS customers
FROM {{ ref('fact_sales') }} AS f
WHERE f.product_id IN (SELECT product_id FROM {{ ref('dim_product') }} WHERE category = 'Electronics')
  AND EXISTS (SELECT 1 FROM {{ ref('dim_customer') }} AS c WHERE c.customer_id = f.customer_id AND c.gender IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM {{ ref('dim_payment') }} AS p
                  WHERE p.payment_method = f.payment_method AND p.payment_type = 'cash')
GROUP BY f.channel
ORDER BY revenue DESC
