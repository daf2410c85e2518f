-- name: latest_order_per_customer
-- description: Each customer's most recent order line (QUALIFY over ROW_NUMBER), counted by channel.
-- expect: portable
WITH latest AS (
  SELECT customer_id, channel, amount
  FROM {{ ref('fact_sales') }}
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_ts DESC, sale_id DESC) = 1
)
SELECT channel, COUNT(*) AS customers, SUM(amount) AS last_order_revenue
FROM latest
GROUP BY channel
ORDER BY channel
