-- name: cube_channel_status
-- description: Lines for every combination of channel and status, with all subtotals (CUBE).
SELECT
  NVL(channel, '(all)') AS channel,
  NVL(status, '(all)') AS status,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY CUBE (channel, status)
HAVING COUNT(*) >= 20
ORDER BY 1, 2
