-- name: price_bounds
-- description: Paid price against list price with missing values (GREATEST/LEAST return NULL on any NULL in BigQuery).
-- expect: portable
SELECT
  f.payment_method,
  COUNT(*) AS lines,
  COUNT(GREATEST(f.unit_price, p.list_price, IF(f.payment_method = 'visa', NULL, 0))) AS comparable,
  MAX(LEAST(f.unit_price, p.list_price)) AS best_price,
  SUM(GREATEST(f.discount_pct, 0.1)) AS floored_discounts
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
GROUP BY f.payment_method
ORDER BY f.payment_method NULLS LAST
