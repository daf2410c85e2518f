-- name: division_and_mod
-- description: Units per line, revenue per unit, even-quantity lines: integer division scale, `/` on NUMBER, MOD.
SELECT
  channel,
  SUM(quantity) / COUNT(*) AS units_per_line,
  SUM(amount) / SUM(quantity) AS revenue_per_unit,
  ROUND(SUM(amount) / SUM(quantity), 1, 'HALF_TO_EVEN') AS revenue_per_unit_even,
  FLOOR(SUM(quantity) / 7) AS full_weeks_of_units,
  COUNT_IF(MOD(quantity, 2) = 0) AS even_quantity_lines,
  SUM(quantity % 3) AS remainder_sum
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
