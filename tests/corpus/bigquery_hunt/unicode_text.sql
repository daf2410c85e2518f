-- name: unicode_text
-- description: Brand name lengths and cases with accents (LENGTH counts characters, UPPER/LOWER of é, ASCII, CHR).
-- expect: portable
SELECT
  brand,
  LENGTH(brand) AS characters,
  UPPER(brand) AS upper_brand,
  ASCII(brand) AS first_code,
  CHR(ASCII(brand) + 1) AS next_letter,
  COUNT(*) AS products
FROM {{ ref('dim_product') }}
GROUP BY brand
ORDER BY brand
