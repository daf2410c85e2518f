-- aov_by_channel: compiled by fedkit for redshift from aov_by_channel.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule zero-division: x / y that may divide by zero keeps DuckDB's IEEE result (inf, -inf, NaN) instead of an error
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
SELECT
  channel,
  COUNT(DISTINCT order_id) AS orders,
  SUM(amount) AS revenue,
  CASE
    WHEN COUNT(DISTINCT order_id) = 0
    THEN CAST(SUM(amount) AS DOUBLE PRECISION) * CAST('inf' AS DOUBLE PRECISION)
    ELSE CAST(SUM(amount) AS DOUBLE PRECISION) / COUNT(DISTINCT order_id)
  END AS average_order_value
FROM gold_spectrum.fact_sales
WHERE
  status <> 'Cancelled'
GROUP BY
  channel
ORDER BY
  channel NULLS LAST
