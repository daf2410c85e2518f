-- name: round_and_trunc
-- description: Prices rounded and truncated on NUMBER and FLOAT columns, per category.
SELECT
  category,
  ROUND(AVG(list_price), 1) AS avg_price_1dp,
  TRUNC(AVG(list_price), 1) AS avg_price_trunc_1dp,
  ROUND(MAX(list_price), -1) AS max_price_tens,
  TRUNC(MIN(list_price)) AS min_price_whole,
  ROUND(SUM(list_price) * 0.075, 2) AS tax_estimate,
  ROUND(AVG(list_price::FLOAT), 3) AS avg_price_float
FROM {{ ref('dim_product') }}
GROUP BY category
ORDER BY category
