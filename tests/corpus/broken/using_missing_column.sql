-- JOIN USING a column that only one side has (dim_product has no customer_id).
-- expect: bigquery 7:43 Column customer_id in USING clause not found on right side of join
-- expect: snowflake 7:43 USING column 'CUSTOMER_ID' is not in both joined tables
-- expect: duckdb 7:43 Column "customer_id" does not exist on right side of join
SELECT s.order_id
FROM {{ ref('fact_sales') }} AS s
JOIN {{ ref('dim_product') }} AS p USING (customer_id)
