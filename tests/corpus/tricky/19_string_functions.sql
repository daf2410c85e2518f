-- name: string_functions
-- expect: portable; UPPER, LOWER, LENGTH, SUBSTRING, concatenation, TRIM, REPLACE
SELECT product_id, UPPER(brand) AS b, LOWER(category) AS c, LENGTH(product_name) AS len,
  SUBSTRING(product_name, 1, 3) AS prefix, brand || '/' || category AS path, TRIM('  x ') AS trimmed,
  REPLACE(category, 'e', 'E') AS replaced
FROM {{ ref('dim_product') }}
ORDER BY product_id
LIMIT 25
