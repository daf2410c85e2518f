-- median_order_value: compiled by fedkit for snowflake from median_order_value.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule avg-double: AVG computes in DOUBLE as the source does
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH orders AS (
  SELECT
    order_id,
    SUM(amount) AS order_value
  FROM ANALYTICS.GOLD.FACT_SALES
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
  AVG(CAST(order_value AS DOUBLE)) AS median_order_value,
  MAX(orders) AS orders
FROM ranked
WHERE
  position IN (FLOOR(CAST(orders + 1 AS DOUBLE) / 2), CEIL(CAST(orders + 1 AS DOUBLE) / 2))
ORDER BY
  median_order_value NULLS LAST
