-- name: cancellations_by_brand_category
-- description: Cancelled lines, amount and the cancellation rate per brand and category.
-- grain: brand, category
-- owner: analytics
-- tags: [cancellations, product]
SELECT
  p.brand,
  p.category,
  COUNT(*) AS lines,
  COUNTIF(f.status = 'Cancelled') AS cancelled_lines,
  SUM(IF(f.status = 'Cancelled', f.amount, 0)) AS cancelled_amount,
  SAFE_DIVIDE(COUNTIF(f.status = 'Cancelled'), COUNT(*)) AS cancellation_rate
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
GROUP BY p.brand, p.category
ORDER BY cancelled_lines DESC, p.brand, p.category
