-- name: labels_and_concat
-- description: Region labels built with INITCAP, LPAD, CONCAT and || (Snowflake: NULL in, NULL out).
SELECT
  LPAD(TO_VARCHAR(r.region_id), 3, '0') AS region_code,
  INITCAP(LOWER(r.region)) AS region_label,
  CONCAT(r.country, '-', r.region) AS full_label,
  COUNT_IF(CONCAT(c.gender, '/', r.country) IS NULL) AS null_concat,
  COUNT_IF((c.gender || '/' || r.country) IS NULL) AS null_pipes,
  COUNT(*) AS customers
FROM {{ ref('dim_customer') }} AS c
JOIN {{ ref('dim_region') }} AS r ON r.region_id = c.region_id
GROUP BY 1, 2, 3
ORDER BY 1
