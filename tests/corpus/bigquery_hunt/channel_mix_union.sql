-- name: channel_mix_union
-- description: Online and offline revenue from two CTEs stacked with UNION ALL, with a total row.
-- expect: portable
WITH online AS (
  SELECT 'online' AS segment, SUM(amount) AS revenue, COUNT(*) AS lines
  FROM {{ ref('fact_sales') }}
  WHERE channel IN ('web', 'app')
),
offline AS (
  SELECT 'offline' AS segment, SUM(amount) AS revenue, COUNT(*) AS lines
  FROM {{ ref('fact_sales') }}
  WHERE channel NOT IN ('web', 'app')
),
combined AS (
  SELECT * FROM online
  UNION ALL
  SELECT * FROM offline
)
SELECT segment, revenue, lines, SAFE_DIVIDE(revenue, SUM(revenue) OVER ()) AS share
FROM combined
UNION ALL
SELECT 'total', SUM(revenue), SUM(lines), 1
FROM combined
ORDER BY segment
