-- name: safe_arithmetic
-- description: Margins with SAFE_ arithmetic and math functions (SAFE_MULTIPLY, SAFE_SUBTRACT, SAFE_NEGATE, LN, LOG10, EXP, TRUNC to digits).
-- expect: portable
SELECT
  channel,
  SUM(SAFE_MULTIPLY(quantity, 2)) AS doubled,
  SUM(SAFE_SUBTRACT(quantity, 1)) AS extra_units,
  MIN(SAFE_NEGATE(quantity)) AS most_negative,
  ROUND(SUM(LN(quantity)), 6) AS log_units,
  ROUND(MAX(LOG10(CAST(amount AS FLOAT64))), 6) AS max_digits,
  ROUND(MIN(EXP(discount_pct)), 6) AS min_growth,
  MAX(TRUNC(discount_pct * 100, 1)) AS max_discount_pct,
  SUM(CAST(quantity > 1 AS INT64)) AS multi_lines
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
