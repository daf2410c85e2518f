-- name: top_product_per_customer
-- description: Each customer's biggest line's product and the runner-up (ARRAY_AGG ORDER BY with OFFSET / SAFE_OFFSET).
-- expect: portable
WITH per_customer AS (
  SELECT
    customer_id,
    ARRAY_AGG(product_id ORDER BY amount DESC, sale_id)[OFFSET(0)] AS top_product,
    ARRAY_AGG(product_id ORDER BY amount DESC, sale_id)[SAFE_OFFSET(1)] AS second_product,
    ARRAY_LENGTH(ARRAY_AGG(sale_id)) AS lines
  FROM {{ ref('fact_sales') }}
  GROUP BY customer_id
)
SELECT p.category, COUNT(*) AS customers, COUNT(second_product) AS with_second, SUM(lines) AS lines
FROM per_customer AS c
JOIN {{ ref('dim_product') }} AS p ON p.product_id = c.top_product
GROUP BY p.category
ORDER BY p.category
