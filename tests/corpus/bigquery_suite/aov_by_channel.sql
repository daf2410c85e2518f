-- name: aov_by_channel
-- description: Average order value (net revenue / orders) per sales channel.
-- grain: channel
-- owner: analytics
-- tags: [revenue, channel]
SELECT
  channel,
  COUNT(DISTINCT order_id) AS orders,
  SUM(amount) AS revenue,
  SAFE_DIVIDE(SUM(amount), COUNT(DISTINCT order_id)) AS average_order_value
FROM {{ ref('fact_sales') }}
WHERE status <> 'Cancelled'
GROUP BY channel
ORDER BY channel
