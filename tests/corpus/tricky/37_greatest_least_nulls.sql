-- name: greatest_least_nulls
-- expect: portable; DuckDB GREATEST/LEAST skip NULL arguments (NULL only when all are NULL), BigQuery's return NULL
SELECT f.channel,
  COUNT(GREATEST(f.payment_method, 'M')) AS greatest_known,
  COUNT(LEAST(f.payment_method, 'M', NULL)) AS least_known,
  MIN(GREATEST(f.payment_method, CAST(NULL AS VARCHAR))) AS greatest_alone,
  MIN(GREATEST('A', LEAST(f.payment_method, 'M'))) AS clamped
FROM {{ ref('fact_sales') }} f
GROUP BY f.channel
ORDER BY f.channel
