-- name: channel_share
-- description: Each channel's share of revenue per year (RATIO_TO_REPORT over the year).
SELECT
  YEAR(order_date) AS order_year,
  channel,
  SUM(amount) AS revenue,
  RATIO_TO_REPORT(SUM(amount)) OVER (PARTITION BY YEAR(order_date)) AS share_of_year
FROM {{ ref('fact_sales') }}
WHERE status <> 'Cancelled'
GROUP BY 1, 2
ORDER BY 1, 2
