-- name: labels_with_nulls
-- description: Customer labels built with CONCAT and || when gender is missing (NULL propagates on BigQuery), COALESCE fallbacks.
-- expect: portable
SELECT
  c.country,
  CONCAT(c.country, '-', c.gender) AS label,
  c.country || '/' || COALESCE(c.gender, '?') AS safe_label,
  COUNT(*) AS customers,
  COUNTIF(CONCAT(c.customer_name, c.gender) IS NULL) AS null_labels
FROM {{ ref('dim_customer') }} AS c
GROUP BY 1, 2, 3
ORDER BY 1, 2
