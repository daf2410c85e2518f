-- name: median_exact
-- expect: portable; exact medians and quantiles per group (BigQuery: PERCENTILE_CONT OVER folded to the group), DuckDB's types
SELECT
  channel,
  median(amount) AS median_amount,
  median(quantity) AS median_quantity,
  quantile_cont(discount_pct, 0.25) AS p25_discount,
  quantile_disc(quantity, 0.9) AS p90_quantity,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE status <> 'Cancelled'
GROUP BY channel
ORDER BY channel
