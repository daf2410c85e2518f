-- name: amazon_b2b_mix
-- description: Amazon orders per state with business share (mixed-case columns, LOGICAL_OR on a BOOL, IFNULL on a NULL amount).
-- expect: portable
SELECT
  ship_state,
  COUNT(DISTINCT Order_ID) AS orders,
  COUNTIF(B2B) AS business_orders,
  COUNTIF(NOT B2B) AS consumer_orders,
  LOGICAL_OR(B2B) AS has_business,
  SUM(IFNULL(Amount, 0)) AS revenue,
  COUNTIF(Amount IS NULL) AS missing_amounts,
  SUM(Qty) AS units
FROM {{ ref('amazon_sales_gold') }}
GROUP BY ship_state
ORDER BY orders DESC, ship_state
LIMIT 12
