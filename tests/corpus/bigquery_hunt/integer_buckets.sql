-- name: integer_buckets
-- description: Lines per integer bucket (DIV, MOD, integer / integer as FLOAT64, CAST to INT64 of a division).
-- expect: portable
SELECT
  DIV(customer_id, 50) AS customer_band,
  MOD(sale_id, 4) AS shard,
  COUNT(*) AS lines,
  SUM(quantity) / COUNT(*) AS avg_quantity,
  CAST(SUM(quantity) / COUNT(*) AS INT64) AS rounded_quantity,
  DIV(SUM(quantity) * 100, COUNT(*)) AS quantity_pct
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
