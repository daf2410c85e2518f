-- name: set_operations
-- description: Customers in both years and in either (INTERSECT DISTINCT, UNION DISTINCT), counted.
-- expect: portable
WITH y2023 AS (
  SELECT customer_id FROM {{ ref('fact_sales') }} WHERE EXTRACT(YEAR FROM order_date) = 2023
),
y2024 AS (
  SELECT customer_id FROM {{ ref('fact_sales') }} WHERE EXTRACT(YEAR FROM order_date) = 2024
)
SELECT 'both' AS kind, COUNT(*) AS customers FROM (SELECT customer_id FROM y2023 INTERSECT DISTINCT SELECT customer_id FROM y2024)
UNION ALL
SELECT 'either', COUNT(*) FROM (SELECT customer_id FROM y2023 UNION DISTINCT SELECT customer_id FROM y2024)
ORDER BY kind
