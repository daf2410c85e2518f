-- name: product_name_tests
-- description: Products per category by name tests: CONTAINS, STARTSWITH, ENDSWITH, REGEXP_LIKE (whole string).
SELECT
  category,
  COUNT_IF(CONTAINS(product_name, 'Phones')) AS phone_names,
  COUNT_IF(CONTAINS(product_name, 'phones')) AS lower_phone_names,
  COUNT_IF(STARTSWITH(brand, 'P')) AS p_brands,
  COUNT_IF(ENDSWITH(product_name, '1')) AS ending_in_1,
  COUNT_IF(REGEXP_LIKE(product_name, '.* P[0-9]{3}')) AS coded_names,
  COUNT_IF(REGEXP_LIKE(product_name, 'P[0-9]{3}')) AS code_only_names
FROM {{ ref('dim_product') }}
GROUP BY category
ORDER BY category
