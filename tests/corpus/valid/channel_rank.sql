-- Rank channels by revenue within each status (window function).
SELECT
  status,
  channel,
  revenue,
  RANK() OVER (PARTITION BY status ORDER BY revenue DESC) AS channel_rank
FROM (
  SELECT status, channel, SUM(amount) AS revenue
  FROM {{ ref('fact_sales') }}
  GROUP BY status, channel
) AS t
