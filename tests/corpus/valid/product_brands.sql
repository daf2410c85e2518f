-- Top brands by units sold, with a CASE bucket.
SELECT
  p.brand,
  SUM(s.quantity) AS units,
  CASE WHEN SUM(s.quantity) >= 100 THEN 'large' ELSE 'small' END AS size_bucket
FROM {{ ref('fact_sales') }} AS s
JOIN {{ ref('dim_product') }} AS p ON p.product_id = s.product_id
GROUP BY p.brand
ORDER BY units DESC
LIMIT 10
