-- name: divide_by_zero_ieee
-- expect: portable; DuckDB's x / 0 is inf, -inf or NaN (BigQuery and Snowflake would raise without the rule)
SELECT channel,
  SUM(quantity) / SUM(CASE WHEN status = 'Nope' THEN 1 ELSE 0 END) AS plus_inf,
  -SUM(amount) / SUM(CASE WHEN status = 'Nope' THEN 1 ELSE 0 END) AS minus_inf,
  (SUM(quantity) - SUM(quantity)) / (COUNT(*) - COUNT(*)) AS not_a_number,
  SUM(quantity) / COUNT(DISTINCT order_id) AS per_order
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
