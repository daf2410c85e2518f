-- Comparing a DATE with an integer.
-- expect: bigquery 5:7 No matching signature for operator = for argument types: DATE, INT64
SELECT order_id
FROM {{ ref('fact_sales') }}
WHERE order_date = 20240101
