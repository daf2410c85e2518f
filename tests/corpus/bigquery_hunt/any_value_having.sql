-- name: any_value_having
-- description: Each category's product with the highest list price (ANY_VALUE ... HAVING MAX) and a PERCENTILE_DISC median.
-- expect: portable
SELECT
  category,
  ANY_VALUE(product_name HAVING MAX list_price) AS priciest,
  MAX(list_price) AS top_price,
  COUNT(*) AS products
FROM {{ ref('dim_product') }}
GROUP BY category
ORDER BY category
