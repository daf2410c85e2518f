-- name: text_conversions
-- description: Values shown as text (CAST of NUMERIC, FLOAT64, TIMESTAMP, BOOL to STRING), and string positions.
-- expect: unportable on snowflake; CAST(FLOAT64 AS STRING) digits
SELECT
  sale_id,
  CAST(amount AS STRING) AS amount_text,
  CAST(unit_price * 10 AS STRING) AS price_text,
  CAST(discount_pct AS STRING) AS discount_text,
  CAST(quantity > 1 AS STRING) AS multi_text,
  CAST(order_ts AS STRING) AS ts_text,
  STRPOS(order_id, '0') AS first_zero,
  SUBSTR(order_id, -3) AS last_three,
  SUBSTR(order_id, 2, 3) AS middle,
  LEFT(channel, 2) AS ch2,
  RIGHT(order_id, 2) AS tail2,
  REPEAT('*', quantity) AS stars
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2024-06-01' AND DATE '2024-06-30'
ORDER BY sale_id
