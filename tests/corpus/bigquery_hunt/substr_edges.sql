-- name: substr_edges
-- description: Order id pieces at edge positions (SUBSTR from 0 and negative positions, INSTR from the end, SPLIT with the default delimiter).
-- expect: portable
SELECT
  sale_id,
  SUBSTR(order_id, 0, 3) AS from_zero,
  SUBSTR(order_id, -4, 2) AS near_end,
  SUBSTR(order_id, 5) AS digits,
  INSTR(order_id, '0', -1) AS last_zero,
  ARRAY_LENGTH(SPLIT(CONCAT(channel, ',', status))) AS parts
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2023-05-01' AND DATE '2023-05-31'
ORDER BY sale_id
