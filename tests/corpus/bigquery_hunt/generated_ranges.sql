-- name: generated_ranges
-- description: Units per quantity bucket including empty buckets (GENERATE_ARRAY, UNNEST, LEFT JOIN with a range condition).
-- expect: portable
SELECT
  bucket,
  COUNT(f.sale_id) AS lines,
  IFNULL(SUM(f.quantity), 0) AS units
FROM UNNEST(GENERATE_ARRAY(1, 7, 2)) AS bucket
LEFT JOIN {{ ref('fact_sales') }} AS f ON f.quantity BETWEEN bucket AND bucket + 1
GROUP BY bucket
ORDER BY bucket
