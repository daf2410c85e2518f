-- name: lag_lead_defaults
-- description: Yearly order lines per category with the previous and next year (0 when there is none).
WITH yearly AS (
  SELECT p.category, YEAR(f.order_date) AS y, COUNT(*) AS lines
  FROM {{ ref('fact_sales') }} AS f
  JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
  GROUP BY 1, 2
)
SELECT
  category,
  y,
  lines,
  LAG(lines, 1, 0) OVER (PARTITION BY category ORDER BY y) AS previous_lines,
  LEAD(lines, 1, 0) OVER (PARTITION BY category ORDER BY y) AS next_lines,
  lines - LAG(lines) OVER (PARTITION BY category ORDER BY y) AS change
FROM yearly
ORDER BY category, y
