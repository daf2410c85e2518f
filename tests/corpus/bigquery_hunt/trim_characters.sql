-- name: trim_characters
-- description: Order numbers without their prefix and padding (TRIM, LTRIM and RTRIM with a set of characters).
-- expect: portable
SELECT
  LTRIM(order_id, 'ORD-') AS number_text,
  RTRIM(TRIM(order_id, 'O'), '0123456789') AS prefix,
  LTRIM(LTRIM(order_id, 'ORD-'), '0') AS number_unpadded,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2023-05-01' AND DATE '2023-05-31'
GROUP BY 1, 2, 3
ORDER BY 1
