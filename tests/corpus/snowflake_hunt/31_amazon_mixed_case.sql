-- name: amazon_mixed_case
-- description: Amazon-style orders per state with unquoted mixed-case column names (Qty, B2B, Amount).
SELECT
  SHIP_STATE,
  COUNT(DISTINCT order_id) AS orders,
  SUM(qty) AS units,
  COUNT_IF(b2b) AS b2b_lines,
  ZEROIFNULL(SUM(amount)) AS revenue,
  DIV0(SUM(Amount), SUM(Qty)) AS revenue_per_unit
FROM {{ ref('amazon_sales_gold') }}
WHERE status ILIKE 'shipped%'
GROUP BY ship_state
ORDER BY ship_state
