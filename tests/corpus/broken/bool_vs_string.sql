-- B2B is a BOOL column compared with a string.
-- expect: bigquery 5:7 No matching signature for operator = for argument types: BOOL, STRING
SELECT "Order_ID"
FROM {{ ref('amazon_sales_gold') }}
WHERE B2B = 'yes'
