-- name: basket_size_bands
-- description: Orders per basket band (CASE and IF over order totals), with the share of multi-line orders.
-- expect: portable
WITH orders AS (
  SELECT order_id, SUM(amount) AS total, COUNT(*) AS lines
  FROM {{ ref('fact_sales') }}
  GROUP BY order_id
)
SELECT
  CASE
    WHEN total >= 500 THEN 'large'
    WHEN total >= 100 THEN 'medium'
    WHEN total > 0 THEN 'small'
    ELSE 'zero'
  END AS band,
  COUNT(*) AS orders,
  COUNTIF(lines > 1) AS multi_line,
  SUM(IF(lines > 1, total, 0)) AS multi_line_revenue,
  ROUND(SAFE_DIVIDE(COUNTIF(lines > 1), COUNT(*)), 4) AS multi_line_share
FROM orders
GROUP BY band
ORDER BY band
