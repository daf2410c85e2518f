-- name: cast_conversions
-- description: Values cast between types as a BigQuery team writes them (NUMERIC, INT64, FLOAT64, STRING of dates).
-- expect: portable
SELECT
  CAST(order_date AS STRING) AS day_text,
  CAST(discount_pct AS NUMERIC) AS discount_exact,
  CAST(amount AS INT64) AS amount_whole,
  CAST(quantity AS FLOAT64) / 3 AS third_quantity,
  CAST(CAST(customer_id AS STRING) AS INT64) + 1 AS next_customer,
  SUM(CAST(discount_pct AS NUMERIC) * amount) AS discount_value
FROM {{ ref('fact_sales') }}
WHERE order_date = DATE '2024-11-29'
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 3, 2, 4, 5
