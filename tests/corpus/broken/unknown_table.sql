-- A typo in the table name: ref() knows the gold tables.
-- expect: bigquery 6:6 unknown gold table; known: amazon_sales_gold
-- expect: snowflake 6:6 unknown gold table; known: amazon_sales_gold
-- expect: duckdb 6:6 unknown gold table; known: amazon_sales_gold
SELECT order_id
FROM {{ ref('fact_sale') }}
