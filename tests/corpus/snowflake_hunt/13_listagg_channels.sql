-- name: listagg_channels
-- description: Channels and statuses seen per payment method, as ordered lists.
SELECT
  payment_method,
  LISTAGG(DISTINCT channel, ', ') WITHIN GROUP (ORDER BY channel) AS channels,
  LISTAGG(DISTINCT status, '|') WITHIN GROUP (ORDER BY status DESC) AS statuses_desc,
  COUNT(DISTINCT channel) AS channel_count
FROM {{ ref('fact_sales') }}
GROUP BY payment_method
ORDER BY payment_method NULLS FIRST
