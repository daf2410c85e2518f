-- name: string_lists
-- description: Brand lists per category (ARRAY_TO_STRING of ARRAY_AGG DISTINCT ORDER BY, ARRAY_LENGTH, STRING_AGG LIMIT-free, STRPOS).
-- expect: portable
SELECT
  category,
  ARRAY_TO_STRING(ARRAY_AGG(DISTINCT brand ORDER BY brand), ', ') AS brands,
  ARRAY_LENGTH(ARRAY_AGG(DISTINCT subcategory)) AS subcategories,
  COUNTIF(STRPOS(LOWER(product_name), 'pro') > 0) AS pro_products,
  COUNTIF(ENDS_WITH(product_name, '1')) AS ending_one
FROM {{ ref('dim_product') }}
GROUP BY category
ORDER BY category
