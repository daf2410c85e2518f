-- name: grouping_sets_cube
-- description: Revenue by channel and status with subtotals (GROUP BY GROUPING SETS and CUBE, GROUPING()).
-- expect: portable
SELECT
  channel,
  status,
  GROUPING(channel) + 2 * GROUPING(status) AS level,
  SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY GROUPING SETS ((channel, status), (channel), ())
ORDER BY level, channel, status
