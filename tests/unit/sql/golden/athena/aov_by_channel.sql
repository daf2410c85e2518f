-- aov_by_channel: compiled by fedkit for athena from aov_by_channel.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  channel,
  COUNT(DISTINCT order_id) AS orders,
  SUM(amount) AS revenue,
  CAST(SUM(amount) AS DOUBLE) / COUNT(DISTINCT order_id) AS average_order_value
FROM gold_lake.fact_sales
WHERE
  status <> 'Cancelled'
GROUP BY
  channel
ORDER BY
  channel NULLS LAST
