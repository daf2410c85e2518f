-- Dividing a number by a string literal.
-- expect: bigquery 5:3 No matching signature for operator /
SELECT
  order_id,
  amount / 'two' AS half
FROM {{ ref('fact_sales') }}
