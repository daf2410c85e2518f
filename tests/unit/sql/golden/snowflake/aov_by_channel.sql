-- aov_by_channel: compiled by fedkit for snowflake from aov_by_channel.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule zero-division: x / y that may divide by zero keeps DuckDB's IEEE result (inf, -inf, NaN) instead of an error
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  channel,
  COUNT(DISTINCT order_id) AS orders,
  SUM(amount) AS revenue,
  CASE
    WHEN COUNT(DISTINCT order_id) = 0
    THEN CAST(SUM(amount) AS DOUBLE) * CAST('inf' AS DOUBLE)
    ELSE CAST(SUM(amount) AS DOUBLE) / COUNT(DISTINCT order_id)
  END AS average_order_value
FROM ANALYTICS.GOLD.FACT_SALES
WHERE
  status <> 'Cancelled'
GROUP BY
  channel
ORDER BY
  channel NULLS LAST
