-- name: signed_math
-- description: Integer division and remainders of negative numbers (DIV, MOD truncate toward zero), ABS, SIGN, TRUNC, CEIL/FLOOR of NUMERIC.
-- expect: portable
SELECT
  quantity - 3 AS delta,
  DIV(quantity - 3, 2) AS half_delta,
  MOD(quantity - 3, 2) AS odd_delta,
  ABS(quantity - 3) AS distance,
  CAST(SIGN(quantity - 3) AS INT64) AS direction,
  MIN(TRUNC(discount_pct * -10)) AS trunc_neg,
  MAX(CEIL(amount / 7)) AS ceil_sev,
  MIN(FLOOR(-amount / 7)) AS floor_neg,
  SUM(POW(quantity, 2)) AS squares,
  ROUND(SUM(SQRT(quantity)), 6) AS roots,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1
