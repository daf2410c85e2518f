-- name: string_helpers
-- expect: portable
SELECT left(product_name, 5) AS head, right(product_name, 4) AS tail, lpad(CAST(product_id AS VARCHAR), 5, '0') AS padded,
  starts_with(brand, 'N') AS n_brand, contains(subcategory, 'one') AS has_one,
  product_name ILIKE '%phone%' AS phoneish
FROM {{ ref('dim_product') }}
WHERE product_id <= 12
ORDER BY product_id
