-- name: medians_and_modes
-- description: Median, 90th percentile and most common status of order lines per channel.
SELECT
  channel,
  MEDIAN(amount) AS median_amount,
  PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY amount) AS p90_amount,
  PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY quantity) AS median_quantity,
  MODE(status) AS usual_status
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
