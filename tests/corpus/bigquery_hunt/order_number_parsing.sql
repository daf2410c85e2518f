-- name: order_number_parsing
-- description: Order numbers parsed from the order id (SAFE_CAST of REGEXP_EXTRACT and SUBSTR), bucketed by MOD.
-- expect: portable
SELECT
  MOD(SAFE_CAST(REGEXP_EXTRACT(order_id, r'[0-9]+') AS INT64), 5) AS bucket,
  COUNT(*) AS lines,
  MIN(SAFE_CAST(SUBSTR(order_id, 5) AS INT64)) AS first_number,
  COUNTIF(SAFE_CAST(order_id AS INT64) IS NULL) AS not_numeric,
  SUM(SAFE_CAST(payment_method AS INT64)) AS nothing
FROM {{ ref('fact_sales') }}
GROUP BY bucket
ORDER BY bucket
