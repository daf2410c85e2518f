-- name: having_and_simple_case
-- description: Busy categories per channel group (simple CASE x WHEN, HAVING on an aggregate).
-- expect: portable
SELECT
  CASE f.channel WHEN 'web' THEN 'online' WHEN 'app' THEN 'online' ELSE 'other' END AS channel_group,
  p.category,
  COUNT(*) AS lines,
  MAX(p.product_name) AS last_product_name,
  SUM(f.amount) AS revenue
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
GROUP BY 1, 2
HAVING COUNT(*) >= 20
ORDER BY 1, 2
