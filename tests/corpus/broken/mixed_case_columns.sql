-- amazon_sales_gold has mixed-case columns (Order_ID, Amount): names resolve case-insensitively, but `Amount`
-- expect: bigquery 10:10 Column name amount is ambiguous
-- expect: snowflake 10:10 ambiguous column name 'AMOUNT'
-- and `amount` are the same column, so ordering by a second "amount" alias is ambiguous.
SELECT
  Order_ID,
  Amount,
  Qty * 1.0 AS amount
FROM {{ ref('amazon_sales_gold') }}
ORDER BY amount
