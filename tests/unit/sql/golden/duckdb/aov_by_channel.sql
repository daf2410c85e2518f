-- aov_by_channel: compiled by fedkit for duckdb from aov_by_channel.sql; do not edit
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  channel,
  COUNT(DISTINCT order_id) AS orders,
  SUM(amount) AS revenue,
  SUM(amount) / COUNT(DISTINCT order_id) AS average_order_value
FROM fact_sales
WHERE
  status <> 'Cancelled'
GROUP BY
  channel
ORDER BY
  channel NULLS LAST
