-- name: mixed_case_columns
-- expect: portable; mixed-case Parquet columns, quoted or not, resolve on Snowflake's unquoted virtual columns
SELECT "Category", Status, SUM("Amount") AS revenue, COUNT(DISTINCT Order_ID) AS orders
FROM {{ ref('amazon_sales_gold') }}
GROUP BY "Category", Status
ORDER BY "Category", Status
