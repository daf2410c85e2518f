-- name: product_name_patterns
-- description: Products whose model code matches a pattern (REGEXP_CONTAINS, REGEXP_EXTRACT, REGEXP_REPLACE), by brand.
-- expect: portable
SELECT
  brand,
  COUNTIF(REGEXP_CONTAINS(product_name, r'P[0-9]{3}$')) AS three_digit_models,
  COUNTIF(REGEXP_CONTAINS(product_name, r'Phone')) AS phones,
  MAX(SAFE_CAST(REGEXP_EXTRACT(product_name, r'P([0-9]+)') AS INT64)) AS highest_model,
  MIN(REGEXP_REPLACE(product_name, r'[0-9]', '#')) AS masked_name,
  COUNTIF(REGEXP_EXTRACT(product_name, r'Z[0-9]+') IS NULL) AS without_z
FROM {{ ref('dim_product') }}
GROUP BY brand
ORDER BY brand
