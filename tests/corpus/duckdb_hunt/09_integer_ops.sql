-- name: integer_ops
-- expect: portable
SELECT sale_id // 7 AS bucket, MIN(sale_id % 7) AS min_mod, MAX((-sale_id) % 7) AS neg_mod,
  SUM(quantity) AS units, AVG(quantity) AS avg_units,
  SUM(CAST(quantity AS BIGINT) * 3000000000) AS big_units
FROM {{ ref('fact_sales') }}
WHERE sale_id < 50
GROUP BY 1
ORDER BY 1
