-- name: string_cleanup
-- description: Order id pieces and lengths with SUBSTR, REPLACE, UPPER, LENGTH, RIGHT, TRIM.
SELECT
  SUBSTR(order_id, 1, 3) AS prefix,
  RIGHT(order_id, 1) AS last_digit,
  MAX(LENGTH(REPLACE(order_id, '-', ''))) AS digits_len,
  COUNT(DISTINCT UPPER(TRIM(channel))) AS channels,
  MIN(SUBSTR(order_id, 5)) AS first_number
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
