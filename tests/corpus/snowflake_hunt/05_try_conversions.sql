-- name: try_conversions
-- description: Order numbers parsed from the order id, partition month parsed from its text, with TRY_ functions.
SELECT
  order_month,
  TRY_TO_DATE(order_month) AS month_start,
  MIN(TRY_TO_NUMBER(SPLIT_PART(order_id, '-', 2))) AS first_order_number,
  MAX(TRY_CAST(SPLIT_PART(order_id, '-', 2) AS INTEGER)) AS last_order_number,
  COUNT(TRY_TO_NUMBER(SPLIT_PART(order_id, '-', 1))) AS numeric_prefixes
FROM {{ ref('fact_sales') }}
GROUP BY order_month
ORDER BY order_month
