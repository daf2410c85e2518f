-- name: regex_flags_backrefs
-- description: Product names matched case-insensitively and reordered (REGEXP_CONTAINS with (?i), REGEXP_REPLACE with \\1 back-references, REGEXP_EXTRACT_ALL).
-- expect: portable
SELECT
  brand,
  COUNTIF(REGEXP_CONTAINS(product_name, r'(?i)PHONES')) AS phones_any_case,
  MIN(REGEXP_REPLACE(product_name, r'^(\w+) (\w+)', r'\2 \1')) AS swapped,
  MAX(ARRAY_LENGTH(REGEXP_EXTRACT_ALL(product_name, r'[0-9]'))) AS most_digits
FROM {{ ref('dim_product') }}
GROUP BY brand
ORDER BY brand
