-- customer_id is in both joined tables.
-- expect: bigquery 6:3 Column name customer_id is ambiguous
-- expect: snowflake 6:3 ambiguous column name 'CUSTOMER_ID'
-- expect: duckdb 6:3 Ambiguous reference to column name "customer_id"
SELECT
  customer_id,
  SUM(s.amount) AS revenue
FROM {{ ref('fact_sales') }} AS s
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = s.customer_id
GROUP BY 1
