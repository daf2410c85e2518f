-- name: case_in_lists
-- expect: portable
SELECT CASE WHEN quantity >= 4 THEN 'bulk' WHEN quantity IN (2, 3) THEN 'few' ELSE 'single' END AS basket,
  CASE channel WHEN 'web' THEN 1 WHEN 'app' THEN 2 END AS channel_code,
  COUNT(*) AS lines, SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
WHERE status IN ('Delivered', 'Shipped')
GROUP BY 1, 2
ORDER BY 1, 2 NULLS FIRST
