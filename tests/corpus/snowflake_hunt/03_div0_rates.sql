-- name: div0_rates
-- description: Returned and cancelled revenue per channel as ratios, DIV0 (0 on zero) vs DIV0NULL (NULL on zero).
SELECT
  channel,
  DIV0(SUM(IFF(status = 'Returned', amount, 0)), SUM(IFF(status = 'Placed', amount, 0))) AS returned_per_placed,
  DIV0NULL(COUNT_IF(status = 'Cancelled'), COUNT_IF(status = 'Placed' AND quantity > 3)) AS cancel_per_big_placed,
  DIV0(COUNT_IF(status = 'Cancelled'), COUNT(*)) AS cancel_share
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
