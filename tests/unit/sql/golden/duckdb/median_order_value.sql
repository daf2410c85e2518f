-- median_order_value: compiled by fedkit for duckdb from median_order_value.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH orders AS (
  SELECT
    order_id,
    SUM(amount) AS order_value
  FROM fact_sales
  WHERE
    status <> 'Cancelled'
  GROUP BY
    order_id
), ranked AS (
  SELECT
    order_value,
    ROW_NUMBER() OVER (
      ORDER BY order_value NULLS LAST, order_id NULLS LAST
    ) AS position,
    COUNT(*) OVER () AS orders
  FROM orders
)
SELECT
  AVG(order_value) AS median_order_value,
  MAX(orders) AS orders
FROM ranked
WHERE
  position IN (FLOOR((
      orders + 1
    ) / 2), CEIL((
      orders + 1
  ) / 2))
ORDER BY
  median_order_value NULLS LAST
